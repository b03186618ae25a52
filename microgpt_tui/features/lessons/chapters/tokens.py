"""Chapter 1, the data and the tokenizer: a name becomes ids, BOS at both ends."""

from __future__ import annotations

from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Press, Question, Reveal, Say


def token_ids(live: Live, doc: str) -> list[int]:
    """The ids training reads for `doc` (cropped to the block size, as the trainer does)."""
    return live.tokenizer.document(doc[: live.config.block_size])


def data(live: Live) -> str:
    docs = live.session.docs
    return (
        f"microgpt learns from a list of {len(docs):,} documents, one per line: here "
        f"{live.q(live.session.dataset_name or 'the data')}. Each step trains on one. The next is "
        f"“{live.q(live.next_doc())}”. A model reads numbers, not letters, so a tokenizer turns text into ids."
    )


def vocabulary(live: Live) -> str:
    tok = live.tokenizer
    chars = " ".join(live.label(i) for i in range(min(len(tok.chars), 40)))
    more = " …" if len(tok.chars) > 40 else ""
    return (
        f"microgpt's tokenizer is one token per character: the {len(tok.chars)} distinct characters of the data, "
        f"sorted ({chars}{more}), get ids 0 to {len(tok.chars) - 1} by their place. One more token, BOS (◆, "
        f"id {tok.bos}), marks where a document starts and ends: {tok.vocab_size} tokens in all."
    )


def count_question(live: Live) -> Question:
    doc = live.next_doc()
    n = len(doc)

    def settle(live: Live) -> Reveal:
        ids = token_ids(live, doc)
        labels = " ".join(live.label(t) for t in ids)
        cropped = f" (cropped to the block size, {live.config.block_size})" if n > live.config.block_size else ""
        return Reveal(
            choices.index(len(ids)),
            f"“{live.q(doc)}”{cropped} becomes {labels} = {ids}: {len(ids)} tokens, BOS at both ends. The first ◆ "
            f"says a name starts; the last says it is over, so the model learns when to stop.",
        )

    choices = sorted({n, n + 1, n + 2, len(token_ids(live, doc))})
    return Question(
        f"“{live.q(doc)}” has {n} characters. How many tokens does the tokenizer make of it?",
        tuple(str(c) for c in choices),
        settle,
    )


def pairs(live: Live) -> str:
    seq = live.shown
    if seq is None or not seq.targets:
        return "The panels show no document yet."
    pos = min(live.position, len(seq.targets) - 1)
    target = seq.targets[pos]
    nxt = live.label(target) if target is not None else "?"
    return (
        f"At position {pos} the model reads {live.q(seq.labels[pos])} (and what came before) and is trained to "
        f"predict {nxt}. Every position is one such pair: a name of n characters gives n + 1 predictions, the "
        f"last one ◆, the end. The next-token panel shows the model's bars for the selected position."
    )


def bos_question(live: Live) -> Question:
    tok = live.tokenizer
    choices = sorted({0, 1, tok.vocab_size - 1, tok.vocab_size})

    def settle(live: Live) -> Reveal:
        bos = live.tokenizer.bos
        return Reveal(
            choices.index(bos),
            f"BOS is id {bos}: the characters take ids 0 to {bos - 1} in sorted order "
            f"({live.label(0)} is 0), and BOS comes after them. Another dataset has other characters, so other ids.",
        )

    return Question("Which id does BOS have in this vocabulary?", tuple(str(c) for c in choices), settle)


CHAPTER = Chapter(
    "tokens",
    "The data and the tokenizer",
    "a name becomes ids, BOS at both ends",
    (
        Say(data),
        Say(vocabulary),
        Ask(count_question),
        Press(
            "→",
            ("move",),
            lambda live: (
                "The attention panel's labels are these tokens. Press → to move the "
                "selected position one token along the name."
            ),
        ),
        Say(pairs),
        Ask(bos_question),
    ),
    lines=("# The data: one document per line", 'print(f"vocab size'),
)
