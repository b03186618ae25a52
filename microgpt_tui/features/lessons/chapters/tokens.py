"""Chapter 1, the data and the tokenizer: a document becomes ids, BOS at both ends."""

from __future__ import annotations

from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Press, Question, Reveal, Say
from microgpt_tui.language import N_, _


def token_ids(live: Live, doc: str) -> list[int]:
    """The ids training reads for `doc` (cropped to the block size, as the trainer does)."""
    return live.tokenizer.document(doc[: live.config.block_size])


def data(live: Live) -> str:
    docs = live.session.docs
    return _(
        "microgpt learns from a list of {n_docs} documents, one per line: here {dataset}. Each step trains on one. "
        "The next is “{doc}”. A model reads numbers, not letters, so a tokenizer turns text into ids."
    ).format(
        n_docs=f"{len(docs):,}",
        dataset=live.q(live.session.dataset_name or _("the data")),
        doc=live.q(live.next_doc()),
    )


def vocabulary(live: Live) -> str:
    tok = live.tokenizer
    chars = " ".join(live.label(i) for i in range(min(len(tok.chars), 40)))
    more = " …" if len(tok.chars) > 40 else ""
    return _(
        "microgpt's tokenizer is one token per character: the {n_chars} distinct characters of the data, sorted "
        "({chars}), get ids 0 to {last} by their place. One more token, BOS (◆, id {bos}), marks where a document "
        "starts and ends: {vocab_size} tokens in all."
    ).format(
        n_chars=len(tok.chars), chars=chars + more, last=len(tok.chars) - 1, bos=tok.bos, vocab_size=tok.vocab_size
    )


def count_question(live: Live) -> Question:
    doc = live.next_doc()
    n = len(doc)

    def settle(live: Live) -> Reveal:
        ids = token_ids(live, doc)
        labels = " ".join(live.label(t) for t in ids)
        figures = {"doc": live.q(doc), "labels": labels, "ids": ids, "count": len(ids)}
        if n > live.config.block_size:
            text = _(
                "“{doc}” (cropped to the block size, {block_size}) becomes {labels} = {ids}: {count} tokens, BOS at "
                "both ends. The first ◆ says a document starts; the last says it is over, so the model learns when to "
                "stop."
            ).format(**figures, block_size=live.config.block_size)
        else:
            text = _(
                "“{doc}” becomes {labels} = {ids}: {count} tokens, BOS at both ends. The first ◆ says a document "
                "starts; the last says it is over, so the model learns when to stop."
            ).format(**figures)
        return Reveal(choices.index(len(ids)), text)

    choices = sorted({n, n + 1, n + 2, len(token_ids(live, doc))})
    return Question(
        _("“{doc}” has {n} characters. How many tokens does the tokenizer make of it?").format(doc=live.q(doc), n=n),
        tuple(str(c) for c in choices),
        settle,
    )


def pairs(live: Live) -> str:
    seq = live.shown
    if seq is None or not seq.targets:
        return _("The panels show no document yet.")
    pos = min(live.position, len(seq.targets) - 1)
    target = seq.targets[pos]
    nxt = live.label(target) if target is not None else "?"
    return _(
        "At position {pos} the model reads {token} (and what came before) and is trained to predict {next}. Every "
        "position is one such pair: a document of n characters gives n + 1 predictions, the last one ◆, the end. The "
        "next-token panel shows the model's bars for the selected position."
    ).format(pos=pos, token=live.q(seq.labels[pos]), next=nxt)


def bos_question(live: Live) -> Question:
    tok = live.tokenizer
    choices = sorted({0, 1, tok.vocab_size - 1, tok.vocab_size})

    def settle(live: Live) -> Reveal:
        bos = live.tokenizer.bos
        return Reveal(
            choices.index(bos),
            _(
                "BOS is id {bos}: the characters take ids 0 to {last} in sorted order ({first} is 0), and BOS comes "
                "after them. Another dataset has other characters, so other ids."
            ).format(bos=bos, last=bos - 1, first=live.label(0)),
        )

    return Question(_("Which id does BOS have in this vocabulary?"), tuple(str(c) for c in choices), settle)


CHAPTER = Chapter(
    "tokens",
    N_("The data and the tokenizer"),
    N_("a document becomes ids, BOS at both ends"),
    (
        Say(data),
        Say(vocabulary),
        Ask(count_question),
        Press(
            "→",
            ("move",),
            lambda live: _(
                "The attention panel's labels are these tokens. Press → to move the "
                "selected position one token along the document."
            ),
        ),
        Say(pairs),
        Ask(bos_question),
    ),
    lines=("# The data: one document per line", 'print(f"vocab size'),
)
