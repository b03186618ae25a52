"""Provides `TokenPanel`: the next-token distribution at the selected position.

Every token of the vocabulary as a sorted bar, the true next character
(training) or the drawn one (sampling) marked, with its probability and -log p.
"""

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

from microgpt_engine.ops import neg_log
from microgpt_tui.core.labels import visible
from microgpt_tui.core.said import spoken
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.language import _
from microgpt_tui.renderables.prob_bars import DARK, LIGHT, Palette, ProbabilityBars
from microgpt_tui.theme_follow import follow_theme

HEADER_LINES = 4


class TokenPanel(Widget, can_focus=True):
    """What the model expects next after the selected position."""

    sequence: reactive[SequenceView | None] = reactive(None)
    """The document or sample whose predictions are drawn."""
    position: reactive[int] = reactive(0)
    """The position whose next-token distribution is shown."""
    temperature: reactive[float] = reactive(0.5)
    """The sampling temperature (applies to samples only)."""

    def __init__(self, vocab_labels: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.vocab_labels = vocab_labels
        self.border_title = _("next token")

    def on_mount(self) -> None:
        follow_theme(self, lambda panel: panel.refresh())  # (the palette follows it)

    def watch_sequence(self, sequence: SequenceView | None) -> None:
        tag = sequence.tag if sequence is not None else ""
        self.border_title = _("next · {tag}").format(tag=spoken(tag)) if tag else _("next token")

    def retranslate(self) -> None:
        """The language changed (switching.py)."""
        self.watch_sequence(self.sequence)

    @property
    def palette(self) -> Palette:
        """The bars' colours for the app's theme (deeper ones on a light background)."""
        return DARK if not self.is_attached or self.app.current_theme.dark else LIGHT

    def header(self, seq: SequenceView, pos: int) -> Text:
        """The context, the next token and its p and -log p, the temperature."""
        context = "".join(visible(label) for label in seq.labels[: pos + 1])
        if len(context) > 16:
            context = "…" + context[-15:]
        target = seq.targets[pos]
        assert target is not None  # (every position shown has the token that came next)
        p = seq.probs[pos][target]
        if seq.kind == "sample":
            how = _("chosen by you") if pos < len(seq.forced) and seq.forced[pos] else _("sampled")
            drawn = seq.temperatures[pos] if pos < len(seq.temperatures) else seq.temperature
            temp = _("bars: T {drawn}").format(drawn=f"{drawn:g}")  # the temperature these bars were computed at
            if not seq.done and self.temperature != drawn:
                temp = _("bars: T {drawn} · next: T {next}").format(drawn=f"{drawn:g}", next=f"{self.temperature:g}")
        else:
            how = _("actual next")
            sampled = f"{self.temperature:g}"
            temp = _("bars: T 1 (raw) · samples: T {sampled}").format(sampled=sampled)
            for shorter in (_("bars: T 1 · samples: T {sampled}").format(sampled=sampled), _("bars: T 1 (raw)")):
                if not self.content_size.width or cell_len(temp) <= self.content_size.width:
                    break
                temp = shorter
        lines = Text(no_wrap=True, overflow="ellipsis")
        colors = self.palette
        loss_style = colors.ghost  # -log p in the orange of the other distribution's mark
        lines.append(_("pos {pos} after ").format(pos=pos), style="dim").append(context, style="bold").append("\n")
        lines.append(f"{how} ").append(visible(self.vocab_labels[target]), style=colors.marked).append("\n")
        if seq.probs_before is not None:  # every head on → ablated, or before → after a step's update
            before = seq.probs_before[pos][target]
            lines.append(f"p {before * 100:.1f}% → {p * 100:.1f}%\n")
            lines.append(f"-log p {neg_log(before):.2f} → {neg_log(p):.2f}", style=loss_style)
            return lines
        if seq.ghost is not None:  # d: before a step's update, with the result behind the bars
            after = seq.ghost[pos][target]
            lines.append(_("p {p}% (→ {after}% after)").format(p=f"{p * 100:.1f}", after=f"{after * 100:.1f}") + "\n")
            lines.append(f"-log p {neg_log(p):.2f} (→ {neg_log(after):.2f})", style=loss_style)
            return lines
        lines.append(f"p {p * 100:.1f}%  -log p {neg_log(p):.2f}\n")
        lines.append(temp, style="dim")
        return lines

    def render(self) -> RenderResult:
        seq = self.sequence
        if seq is None or not seq.probs:
            return Text(_("no prediction yet"), style="dim")
        pos = min(self.position, len(seq.probs) - 1)
        bars = ProbabilityBars(
            self.vocab_labels,
            seq.probs[pos],
            marked=seq.targets[pos],
            height=max(1, self.content_size.height - HEADER_LINES),
            ghost=seq.ghost[pos] if seq.ghost is not None else None,
            palette=self.palette,
        )
        return Group(self.header(seq, pos), bars)
