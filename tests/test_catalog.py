"""The translation catalogs: complete, placeholders intact, compiled from their source, sentences whole."""

import ast
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import microgpt_engine.paths
import microgpt_tui
from microgpt_tui import language

PACKAGE = Path(microgpt_tui.__file__).parent
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "microgpt_tui.po"
MARKERS = ("_", "N_", "ngettext")
ENGINE_PATHS = Path(microgpt_engine.paths.__file__)
ENGINE_KEYWORDS = {**DEFAULT_KEYWORDS, "PathError": (1,)}  # (its first argument: the template)


def extracted() -> set[str | tuple[str, ...]]:
    """Every msgid in the sources, found as `pybabel extract -k PathError` finds them (README: Languages): the
    app's (the default keywords: _, N_, ngettext) and the engine's path errors, which the CLI prints (said())."""
    messages = [message for _, _, message, _, _ in extract_from_dir(str(PACKAGE), keywords=DEFAULT_KEYWORDS)]
    with ENGINE_PATHS.open("rb") as f:
        messages += [message for _, message, _, _ in extract("python", f, keywords=ENGINE_KEYWORDS)]
    return {message if isinstance(message, str) else tuple(message) for message in messages}


@pytest.fixture(scope="module")
def zh():
    with PO.open("rb") as f:
        return read_po(f)


def test_every_msgid_has_a_zh_translation(zh):
    ids = extracted()
    assert len(ids) > 150  # (the first tranche: keys, help, palette, status, panel titles, the CLI)
    untranslated = []
    for msgid in ids:
        entry = zh.get(msgid if isinstance(msgid, str) else msgid[0])
        strings = [] if entry is None else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        if entry is None or not all(strings) or entry.fuzzy:
            untranslated.append(msgid)
    assert untranslated == []


def fields(text: str) -> set[str]:
    """The {named} placeholders of a str.format template, and the %(named)s / %s ones of argparse's (a brace
    around other text, such as the { and } keys in a sentence, is no placeholder)."""
    return set(re.findall(r"\{\w*(?:[:!][^{}]*)?\}|%\(\w+\)[sdr]|%[sdr]", text))


def test_no_translation_changes_the_placeholders(zh):
    differ = []
    for entry in zh:
        if not entry.id:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        for text in strings:
            if fields(text) != fields(ids[-1]):
                differ.append((entry.id, text))
    assert differ == []


def test_the_mo_is_the_compile_of_the_po(zh):
    compiled = io.BytesIO()
    write_mo(compiled, zh)
    assert compiled.getvalue() == PO.with_suffix(".mo").read_bytes(), "stale .mo: pybabel compile (README: Languages)"


def whole(call: ast.Call) -> bool:
    """The marker's first argument is one literal string (a translator sees the whole sentence)."""
    return bool(call.args) and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)


def test_no_marker_of_an_f_string_or_a_concatenation():
    glued = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
                argument = node.args[0] if node.args else None
                if isinstance(argument, (ast.JoinedStr, ast.BinOp)) or (node.func.id == "N_" and not whole(node)):
                    glued.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert glued == []


def test_a_switch_translates_again_and_back():
    try:
        language.set_language("zh")
        shown = language._("loss")
        assert shown == "损失 loss" and language.msgid_of(shown) == "loss"
        language.set_language("en")
        assert language._(shown) == "loss"  # (a translation kept somewhere is translated again, not stuck)
    finally:
        language.set_language("en")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL before LANG
        ({"LC_ALL": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh"),  # LANGUAGE first of all
        ({"LANGUAGE": "fr:zh_TW", "LANG": "en_US"}, "zh"),  # its list, in order
        ({"LC_MESSAGES": "zh_CN", "LANG": "en_US"}, "zh"),
        ({}, "en"),
    ],
)
def test_the_language_defaults_from_the_locale_in_gettexts_order(environ, expected):
    assert language.from_environment(environ) == expected
