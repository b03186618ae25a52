"""Provides `SettingsScreen`: the next run's settings, checked as they are typed, and presets that build microgpt up.

The checking is the lab's (`settings_form.py`, the engine's own rules): the
screen hands every change to `checker` and shows each message next to its
field. Apply is only possible when nothing is wrong; it dismisses with the
checked `NewRun` (escape: None). The data file can be typed or chosen in a
tree of the current folder ("browse…"); either way the lab checks it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Select, Static

from microgpt_tui import language
from microgpt_tui.core.labels import visible_text
from microgpt_tui.features.runs.folder_tree import FolderTree
from microgpt_tui.features.runs.settings_form import BUNDLED, COPY, CURRENT, FIELDS, PRESETS, NewRun, SettingsForm
from microgpt_tui.language import LANGUAGES, N_, NAMES, _, ngettext
from microgpt_tui.literal import literal
from microgpt_tui.switching import LanguageChosen

Checker = Callable[[Mapping[str, str], str, str, str], tuple[NewRun | None, dict[str, str]]]

HINTS = {
    "lr": N_("Adam's step size; decays linearly to 0"),
    "steps": N_("training steps of the new run"),
    "n_embd": N_("width of every vector"),
    "n_head": N_("attention heads; must divide n_embd"),
    "n_layer": N_("Transformer blocks (0: none)"),
    "block_size": N_("longest context, in tokens"),
    "seed": N_("shuffle, initial weights, samples"),
    "temperature": N_("sampling (no new run for this alone)"),
}
PRESET_NAMES = {  # the presets' buttons (their ids keep the English name)
    "no block": N_("no block"),
    "no attention": N_("no attention"),
    "microgpt": "microgpt",
    "bigger": N_("bigger"),
}


class SettingsScreen(ModalScreen[NewRun | None]):
    """One row per setting: its value, what it means, and what is wrong with it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything", id="settings.cancel"),
    ]

    def __init__(self, form: SettingsForm, checker: Checker, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.form, self.checker = form, checker
        self.choice: NewRun | None = None
        self.errors: dict[str, str] = {}
        self._said: dict[str, tuple[bool, str]] = {}  # message widget id -> what it was last given (see _say)

    def compose(self) -> ComposeResult:
        # The whole form scrolls: at 80x24 the presets and buttons sit below the frame, and Tab brings each into view.
        with VerticalScroll(id="settings-body", can_focus=False) as body:
            body.border_title = _("settings: the next run")
            with VerticalScroll(id="settings-fields"):
                for name, value in self.form.values:
                    with Horizontal(classes="settings-row"):
                        yield Label(name, classes="settings-name")
                        yield Input(value, id=f"set-{name}", classes="settings-input", compact=True)
                        yield Static(_(HINTS.get(name, "")), id=f"err-{name}", classes="settings-message")
                with Horizontal(classes="settings-row"):
                    yield Label("attention", classes="settings-name")
                    yield Select(
                        [(_("on (microgpt)"), "on"), (_("off: each block keeps only its MLP"), "off")],
                        value="on" if self.form.attention else "off",
                        allow_blank=False,
                        id="set-attention",
                        compact=True,
                    )
                    yield Static("", id="err-attention", classes="settings-message")
                with Horizontal(classes="settings-row"):
                    yield Label("engine", classes="settings-name")
                    yield Select(
                        [(_("fused (fast)"), "fused"), (_("plain (one Value per scalar; slow)"), "plain")],
                        value=self.form.engine,
                        allow_blank=False,
                        id="set-engine",
                        compact=True,
                    )
                    yield Static("", id="err-engine", classes="settings-message")
                with Horizontal(classes="settings-row", id="dataset-row"):
                    yield Label("dataset", classes="settings-name")
                    yield Select(
                        [
                            (
                                literal(_("this run's ({name})").format(name=visible_text(self.form.dataset_name))),
                                CURRENT,
                            ),
                            (_("bundled names"), BUNDLED),
                            (_("copy task (needs attention)"), COPY),
                            (_("a file…"), "file"),
                        ],
                        value=CURRENT,
                        allow_blank=False,
                        id="set-dataset",
                        compact=True,
                    )
                    yield Input("", placeholder=_("path of a file, one document per line"), id="set-path", compact=True)
                    yield Button(_("browse…"), id="browse", compact=True, tooltip=_("Choose the file in a folder tree"))
                yield Static("", id="err-dataset", classes="settings-message settings-wide")
                with Horizontal(classes="settings-row", id="language-row"):  # (not a setting of the run: at once)
                    yield Label(_("language"), classes="settings-name")
                    yield Select(
                        [(NAMES[code], code) for code in LANGUAGES],
                        value=language.current(),
                        allow_blank=False,
                        id="set-language",
                        compact=True,
                    )
                    yield Static(_("at once, and next time"), classes="settings-message")
            with Horizontal(id="settings-presets"):
                yield Label(_("presets:"), id="presets-label")
                yield Button(_("bigram table"), id="preset-bigram", compact=True)
                for preset in PRESETS:
                    label = _(PRESET_NAMES.get(preset, preset))
                    yield Button(label, id=f"preset-{preset.replace(' ', '-')}", compact=True)
            yield Static("", id="settings-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Apply: new run (enter)"), id="apply", variant="primary")
                yield Button(
                    _("Continue this run"),  # (short: the three buttons fit in 80 columns)
                    id="continue",
                    tooltip=_("Add steps to this run, up to the steps above (lr and temperature may change too)"),
                )
                yield Button(_("Cancel (esc)"), id="cancel")

    def on_mount(self) -> None:
        self.query_one(f"#set-{FIELDS[0]}", Input).focus()
        self.recheck()

    def retranslate(self) -> None:
        """The language changed (its own language row, or the palette): the title, the hints and the summary,
        the buttons and the presets in the new one (what is typed and chosen stays)."""
        self.query_one("#settings-body").border_title = _("settings: the next run")
        labels = {
            "#apply": _("Apply: new run (enter)"),
            "#continue": _("Continue this run"),
            "#cancel": _("Cancel (esc)"),
            "#preset-bigram": _("bigram table"),
        }
        labels.update({f"#preset-{p.replace(' ', '-')}": _(PRESET_NAMES.get(p, p)) for p in PRESETS})
        for selector, label in labels.items():
            self.query_one(selector, Button).label = label
        browsing = self.query("#set-tree") and self.query_one("#set-tree").display
        self.query_one("#browse", Button).label = _("hide files") if browsing else _("browse…")
        self.query_one("#presets-label", Label).update(_("presets:"))
        self.recheck()

    def values(self) -> dict[str, str]:
        values = {name: self.query_one(f"#set-{name}", Input).value for name in FIELDS}
        values["attention"] = str(self.query_one("#set-attention", Select).value)
        return values

    def recheck(self) -> None:
        """Check the form as it is now; every field shows its message or its hint."""
        engine = str(self.query_one("#set-engine", Select).value)
        dataset = str(self.query_one("#set-dataset", Select).value)
        path = self.query_one("#set-path", Input).value
        self.choice, self.errors = self.checker(self.values(), engine, dataset, path)
        for name in (*FIELDS, "attention", "engine", "dataset"):
            message = self.errors.get(name)
            shown = message if message is not None else _(HINTS.get(name, ""))
            widget = self._say(f"err-{name}", message is not None, shown)
            widget.set_class(message is not None, "-error")
            if name in FIELDS:
                self.query_one(f"#set-{name}", Input).set_class(message is not None, "-invalid")
        self.query_one("#set-path").display = dataset == "file"
        self.query_one("#apply", Button).disabled = self.query_one("#continue", Button).disabled = self.choice is None
        if self.choice is None:
            self._say("settings-summary", False, _("fix the fields in red to apply"))
        else:
            config = self.choice.config
            on = ngettext(
                "{params} parameters · {steps} step on {data} ({docs} documents)",
                "{params} parameters · {steps} steps on {data} ({docs} documents)",
                config.steps,
            )
            self._say(
                "settings-summary",
                True,
                on.format(
                    params=f"{self.choice.num_params:,}",
                    steps=f"{config.steps:,}",
                    data=visible_text(self.choice.dataset_name),
                    docs=f"{len(self.choice.docs):,}",
                ),
            )

    def _say(self, widget_id: str, as_is: bool, text: str) -> Static:
        """Show `text` in a message of the form (`as_is`: literally, not read as markup), unless it shows it
        already: each check of a keystroke gave all twelve their text again, and an update lays the form out anew."""
        widget = self.query_one(f"#{widget_id}", Static)
        if self._said.get(widget_id) != (as_is, text):
            self._said[widget_id] = (as_is, text)
            widget.update(literal(text) if as_is else text)
        return widget

    def on_input_changed(self, event: Input.Changed) -> None:
        self.recheck()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "set-language":
            if event.value != language.current():
                self.post_message(LanguageChosen(str(event.value)))
            return
        self.recheck()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button == "apply":
            self.action_apply()
        elif button == "continue":
            self.recheck()
            if self.choice is not None:
                self.dismiss(replace(self.choice, extend=True))
        elif button == "cancel":
            self.action_cancel()
        elif button == "browse":
            self.browse()
        elif button == "preset-bigram":  # a run of counts, not of settings
            self.recheck()
            if self.choice is not None:
                self.dismiss(replace(self.choice, preset="bigram"))
        elif button.startswith("preset-"):
            self.use_preset(button.removeprefix("preset-").replace("-", " "))

    def browse(self) -> None:
        """Show (or hide) a tree of the current folder; a file chosen in it fills the path, checked as if typed."""
        self.query_one("#set-dataset", Select).value = "file"
        trees = self.query("#set-tree")
        tree: DirectoryTree
        if not trees:  # made on first use: the folder is only read when asked for
            tree = FolderTree(id="set-tree")
            self.query_one("#settings-body").mount(tree, after="#settings-fields")
        else:
            tree = trees.first(DirectoryTree)
            tree.display = not tree.display
        self.query_one("#browse", Button).label = _("hide files") if tree.display else _("browse…")
        fields = self.query_one("#settings-fields")
        fields.set_class(tree.display, "-browsing")  # (shorter, so the tree fits under it)
        if tree.display:
            tree.focus()
            self.call_after_refresh(fields.scroll_end, animate=False)  # (the dataset row is the last)

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.query_one("#set-path", Input).value = str(event.path)  # (Input.Changed checks it)

    def use_preset(self, preset: str) -> None:
        for name, value in PRESETS[preset].items():
            if name == "attention":
                self.query_one("#set-attention", Select).value = value
            else:
                self.query_one(f"#set-{name}", Input).value = value
        self.recheck()

    def action_apply(self) -> None:
        self.recheck()
        if self.choice is not None:
            self.dismiss(self.choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
