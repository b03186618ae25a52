"""Chapter 9, the ladder: bigram table, no block, no attention, microgpt, bigger; each trained apart from the
live run (the settings screen's presets, `features/ladder/`) and compared on held-out names, on names and
on the copy task. The figures are the ladder's, as they land (`session.ladder`)."""

from __future__ import annotations

from microgpt_data import COPY
from microgpt_engine.insight.ladder import Climbed
from microgpt_tui.features.ladder.rungs import BIGRAM, ladder_rungs
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Open, Question, Reveal, Say
from microgpt_tui.language import _

DATASETS = ("names", COPY)


def rung_names() -> list[str]:
    return [rung.name for rung in ladder_rungs()]


def rungs(live: Live) -> str:
    return _(
        "The ladder builds microgpt up one part at a time: the bigram table (counts, no training), no block "
        "(embeddings straight into the output), no attention (the block's MLP only), microgpt, and bigger (twice "
        "as wide, two layers). Each is a preset of the settings (o)."
    )


def climb(live: Live) -> str:
    return _(
        "Every rung now trains apart from the live run (and only while it is not training), on names and on the "
        "copy task, with the same seed and steps; bigger is the slowest. They join the runs list (w) as they land."
    )


def row(got: Climbed | None) -> str:
    if got is None:
        return _("training…")
    held = f"{got.held_out:.3f}" if got.held_out is not None else "—"
    return _("{held} ({params} params)").format(held=held, params=f"{got.params:,}")


def table(live: Live) -> str:
    book = live.session.ladder
    lines = []
    for dataset in DATASETS:
        cells = " · ".join(f"{name} {row(book.climbed.get((dataset, name)))}" for name in rung_names())
        lines.append(f"[b]{dataset}[/b]: {cells}")
    return _(
        "Held-out loss of each rung (the table counted over the names the others trained on):\n{rows}\nenter again "
        "shows the rungs landed since."
    ).format(rows="\n".join(lines))


def best_question(dataset: str):  # type: ignore[no-untyped-def]
    def make(live: Live) -> Question:
        book = live.session.ladder
        landed = [name for name in rung_names() if (dataset, name) in book.climbed]
        choices = tuple(landed) if len(landed) >= 2 else tuple(rung_names())

        def settle(live: Live) -> Reveal:
            book = live.session.ladder
            figures = {
                name: got.held_out
                for name in choices
                if (got := book.climbed.get((dataset, name))) is not None and got.held_out is not None
            }
            if len(figures) < len(choices):
                return Reveal(-1, _("Some of these rungs are still training: no answer yet (backspace, enter: again)."))
            best = min(figures, key=lambda name: figures[name])
            said = _(", ").join(f"{name} {loss:.3f}" for name, loss in figures.items())
            return Reveal(
                choices.index(best),
                _("On {dataset}, held-out loss: {said}. Lowest: {best}.").format(dataset=dataset, said=said, best=best),
            )

        if dataset == COPY:
            prompt = _("On {dataset}, which of these rungs has the lowest loss on held-out words?")
        else:
            prompt = _("On {dataset}, which of these rungs has the lowest loss on held-out names?")
        return Question(prompt.format(dataset=dataset), choices, settle)

    return make


def steps(live: Live) -> str:
    book = live.session.ladder
    parts: list[tuple[str, str, float]] = []
    previous: tuple[str, float] | None = None
    for name in rung_names():
        got = book.climbed.get(("names", name))
        if got is None or got.held_out is None:
            break
        if previous is not None:
            parts.append((previous[0], name, got.held_out - previous[1]))
        previous = (name, got.held_out)
    if len(parts) < 1:
        return _("The names rungs are still training: each step of the ladder is quoted here once both ends land.")
    largest = min(parts, key=lambda part: part[2])
    said = (
        _(
            "On names, what each rung changes in held-out loss: {changes}. The largest drop is {a} → {b}. ({bigram} "
            "is counted on the same names the runs trained on, add-one smoothed; no block adds the position "
            "embedding to the character's.)"
        )
        if largest[2] < 0
        else _(
            "On names, what each rung changes in held-out loss: {changes}. No rung lowers it. ({bigram} is counted "
            "on the same names the runs trained on, add-one smoothed; no block adds the position embedding to the "
            "character's.)"
        )
    )
    return said.format(
        changes=_("; ").join(f"{a} → {b} {change:+.3f}" for a, b, change in parts),
        a=largest[0],
        b=largest[1],
        bigram=BIGRAM,
    )


CHAPTER = Chapter(
    "ladder",
    "The ladder",
    "bigram table → no block → no attention → microgpt → bigger",
    (
        Say(rungs),
        Open("ladder_all", "", climb),
        Say(table),
        Ask(best_question("names")),
        Say(steps),
        Ask(best_question(COPY)),
    ),
)
