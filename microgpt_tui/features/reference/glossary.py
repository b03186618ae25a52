"""Provides the glossary: every term the screens use, in two or three sentences, with microgpt's line for it.

Each `Term` has the words the texts use for it (`aliases`, so "query" finds
query/key/value), a short body, the line of microgpt that does it, and a
template for a live figure of this session (placeholders filled by
`glossary_entries.glossary_facts`; empty where no figure exists). The lab turns
the terms into entries with the figures in (`glossary_entries.py`); the glossary
screen (y), the palette and the explain screen read those.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from microgpt_tui.language import N_


@dataclass(frozen=True)
class Term:
    name: str  # as listed
    aliases: tuple[str, ...]  # other words the screens use for it (lower case)
    body: str  # two or three sentences
    code: str  # the matching line(s) of microgpt, or (ours) the app's own formula
    live: str = ""  # a live figure of this session, with {placeholders}; "" when there is none
    ours: bool = False  # `code` is the app's own computation: microgpt has no such line

    @property
    def words(self) -> tuple[str, ...]:
        """Every way of writing it, lower case: the name first."""
        return (self.name.lower(), *self.aliases)


TERMS: tuple[Term, ...] = (
    Term(
        N_("token"),
        ("tokens", "tokenizer", "token id", "id", "ids"),
        N_(
            "The unit the model reads and predicts. Here one token is one character, so the tokenizer turns a document "
            "into a list of small whole numbers (its ids), one per character, with BOS at both ends."
        ),
        "tokens = [BOS] + [uchars.index(ch) for ch in doc] + [BOS]",
        N_("“{doc}” is {doc_tokens}: ids {doc_ids}"),
    ),
    Term(
        "BOS",
        ("beginning of sequence", "◆"),
        N_(
            "A special token, drawn ◆, that marks where a document starts and where it ends. The model is fed BOS "
            "first and learns to predict BOS after the last character; sampling stops when it draws BOS."
        ),
        "BOS = len(uchars)",
        N_("BOS is token id {bos}"),
    ),
    Term(
        N_("vocabulary"),
        ("vocab", "vocab_size", "vocabulary size"),
        N_(
            "Every token the model knows: the distinct characters of the data, sorted, plus BOS. A character outside "
            "it cannot be read at all, and the model gives a probability to each vocabulary token at every position."
        ),
        "vocab_size = len(uchars) + 1",
        N_("{vocab_size} tokens: {n_chars} characters + BOS"),
    ),
    Term(
        N_("embedding"),
        ("embeddings", "token embedding", "wte"),
        N_(
            "A learnt vector of {n_embd} numbers for each token: row i of the matrix wte stands for token i. It is "
            "where the model starts from at every position, and training moves the rows (e shows where they end up)."
        ),
        "tok_emb = state_dict['wte'][token_id]",
        N_("wte row of ‘{first_char}’ starts {wte_row}"),
    ),
    Term(
        N_("position embedding"),
        ("position embeddings", "positions", "wpe"),
        N_(
            "A learnt vector for each position 0 to {block_size_last}, added to the token's embedding. It tells the "
            "model how far into the document it is: with the current character, that predicts the next one better than "
            'the character alone (the "no attention" preset, which sees nothing else, goes below the bigram line).'
        ),
        "pos_emb = state_dict['wpe'][pos_id]",
        N_("wpe row 0 starts {wpe_row}"),
    ),
    Term(
        N_("logit"),
        ("logits", "score", "scores"),
        N_(
            "A raw score the model gives each token before the softmax; higher means more likely, and only the "
            "differences between them matter. lm_head computes one per vocabulary token."
        ),
        "logits = linear(x, state_dict['lm_head'])",
        N_("at position {position}, the highest logit is {top_logit}"),
    ),
    Term(
        N_("softmax"),
        ("probability", "probabilities", "distribution"),
        N_(
            "Turns a list of scores into probabilities: exp of each, divided by their sum, so they are positive and "
            "add up to 1. The next-token bars and every row of the attention heatmap come out of one."
        ),
        "probs = softmax(logits)",
        N_("at position {position} the top probability is {top_prob}"),
    ),
    Term(
        N_("temperature"),
        ("t",),
        N_(
            "Sampling divides the logits by T before the softmax. Below 1 the distribution sharpens (typical samples), "
            "above 1 it flattens (surprising ones); training always uses T = 1."
        ),
        "probs = softmax([l / temperature for l in logits])",
        N_("the sampling temperature is {temperature}"),
    ),
    Term(
        N_("loss"),
        ("cross-entropy", "cross entropy", "loss_t"),
        N_(
            "How surprised the model is by a document: the mean over its positions of −log p of the token that really "
            "came next (the cross-entropy). Training lowers it; a model that knows nothing scores ln {vocab_size}."
        ),
        "loss = (1 / n) * sum(losses)",
        N_("the last step's loss is {loss}"),
    ),
    Term(
        N_("-log p"),
        ("−log p", "−ln p", "-ln p", "log p", "nll"),
        N_(
            "One position's term of the loss (the loss is the mean of these terms over the positions): minus the log "
            "of the probability given to the right next token. "
            "p = {p_whole} costs 0, p = {p_half} costs 0.69, p = 1/{vocab_size} costs {uniform}."
        ),
        "loss_t = -probs[target_id].log()",
        "{nll_here}",
    ),
    Term(
        N_("uniform baseline"),
        ("uniform", "uniform line"),
        N_(
            "The loss of a model that knows nothing and gives every token p = 1/{vocab_size}: ln {vocab_size}. A fresh "
            "model starts near it; the red line on the loss plot."
        ),
        "uniform = math.log(vocab_size)",
        "ln {vocab_size} = {uniform}",
        ours=True,
    ),
    Term(
        N_("bigram baseline"),
        ("bigram", "bigram line", "bigram model"),
        N_(
            "The loss of predicting each character from the previous one alone, using how often each pair occurs in "
            "the data. The model goes below the green line because it knows more: its position in the document (even "
            "without attention) and, through attention, the earlier characters."
        ),
        "nll = -math.log(pairs[prev, next] / following[prev])  # averaged per name, as the loss is",
        N_("on this data the bigram loss is {bigram}"),
        ours=True,
    ),
    Term(
        N_("attention"),
        ("attention weights", "causal mask", "heatmap", "attn_weights"),
        N_(
            "How a position gathers information from earlier ones: it scores each earlier key against its query, a "
            "softmax turns the scores into weights that sum to 1, and it takes the weighted sum of their values. A "
            "position may look back, never ahead."
        ),
        "attn_weights = softmax(attn_logits)",
        N_("the selected row (position {position}) sums to {row_sum}; its largest weight is {row_top}"),
    ),
    Term(
        N_("query, key, value"),
        ("query", "queries", "key", "keys", "value", "values", "q", "k"),
        N_(
            "Three vectors each position computes from its state with wq, wk and wv. A query is what a position is "
            "looking for, a key what it offers; query·key scores the match, and the values are what gets mixed in."
        ),
        "q = linear(x, state_dict[f'layer{li}.attn_wq'])\n"
        "k = linear(x, state_dict[f'layer{li}.attn_wk'])\n"
        "v = linear(x, state_dict[f'layer{li}.attn_wv'])",
        N_("each {n_embd} numbers, {head_dim} per head"),
    ),
    Term(
        N_("head"),
        ("heads", "attention head", "multi-head"),
        N_(
            "One of {n_head} attention patterns working side by side, each on its own {head_dim} of the {n_embd} "
            "dimensions. Their outputs are put next to each other and mixed by wo."
        ),
        "q_h = q[hs:hs+head_dim]",
        N_("{n_head} heads of {head_dim} dimensions; shown: head {head_index}"),
    ),
    Term(
        N_("residual stream"),
        ("residual", "residual connection", "x_residual"),
        N_(
            "The vector of {n_embd} numbers that flows through the model at each position. Attention and the MLP "
            "each add their output to it rather than replacing it, which keeps gradients flowing."
        ),
        "x = [a + b for a, b in zip(x, x_residual)]",
        N_("{n_embd} numbers at every position"),
    ),
    Term(
        N_("RMSNorm"),
        ("normalisation", "normalization"),
        N_(
            "Rescales a vector so that its root mean square is 1: after the embeddings, then before attention and "
            "before the MLP. It keeps the numbers in a steady range however the weights grow."
        ),
        "scale = (ms + 1e-5) ** -0.5",
        "",
    ),
    Term(
        N_("MLP"),
        ("fc1", "fc2", "feed-forward"),
        N_(
            "A small two-layer network applied to each position on its own, after attention: widen to {mlp_width}, "
            "ReLU, narrow back to {n_embd}. Attention moves information between positions; the MLP thinks about it."
        ),
        "x = linear(x, state_dict[f'layer{li}.mlp_fc1'])\n"
        "x = [xi.relu() for xi in x]\n"
        "x = linear(x, state_dict[f'layer{li}.mlp_fc2'])",
        "{n_embd} → {mlp_width} → {n_embd}",
    ),
    Term(
        "ReLU",
        (),
        N_(
            "max(0, x): keeps a positive number and turns a negative one into 0. This bend is what lets the MLP "
            "compute more than a straight-line function; its gradient is 1 or 0."
        ),
        "x = [xi.relu() for xi in x]",
        "",
    ),
    Term(
        "lm_head",
        ("output matrix", "language-model head"),
        N_(
            "The last matrix: it turns the final vector of {n_embd} numbers into one logit per vocabulary token. "
            "microgpt keeps it separate from wte (no weight tying)."
        ),
        "logits = linear(x, state_dict['lm_head'])",
        N_("{vocab_size}×{n_embd} = {lm_head_params} parameters"),
    ),
    Term(
        N_("gradient"),
        ("gradients", "grad", "|grad|"),
        N_(
            "For each parameter, how much the loss would change if it grew a little: d loss / d parameter. "
            "Backward fills one in for every parameter; plain gradient descent would move each against it, while "
            "Adam moves it against a running mean of its recent gradients, which may point the other way."
        ),
        "child.grad += local_grad * v.grad",
        N_("the last step's total |grad| is {grad_norm}"),
    ),
    Term(
        N_("backward"),
        ("backpropagation", "backprop", "chain rule", "autograd"),
        N_(
            "The chain rule run from the loss back through the graph of every operation the forward pass did, "
            "filling in each node's gradient. g shows the real graph of the last step."
        ),
        "loss.backward()",
        N_("the last step's graph had {graph_nodes} nodes ({graph_engine})"),
    ),
    Term(
        N_("Adam"),
        ("optimizer", "optimiser", "m", "v", "momentum", "bias correction", "m_hat", "v_hat"),
        N_(
            "The optimiser that updates the parameters. It keeps a running mean of each gradient (m, β1 {beta1}) and "
            "of its square (v, β2 {beta2}), and moves the parameter by about lr against m / √v: against its recent "
            "gradients, not always against this step's. Both start at 0, so each is divided by 1 − β^t (the bias "
            "correction) to undo that pull in the first steps."
        ),
        "p.data -= lr_t * m_hat / (v_hat ** 0.5 + eps_adam)",
        N_("at step {step}: bias correction 1 − β1^t = {bias1}, 1 − β2^t = {bias2}"),
    ),
    Term(
        N_("learning rate schedule"),
        ("learning rate", "lr", "lr_t", "decay", "decays"),
        N_(
            "How big Adam's steps are, and how that changes over the run. microgpt starts at {lr} and decays it in a "
            "straight line toward 0: the last of {steps_total} steps uses 1/{steps_total} of it, so training settles "
            "down."
        ),
        "lr_t = learning_rate * (1 - step / num_steps)",
        N_("the last step's learning rate was {lr_now}"),
    ),
    Term(
        N_("EMA"),
        ("moving average", "exponential moving average"),
        N_(
            "An exponential moving average: each new loss moves it {ema_share} of the way (β 0.95, about the last 20 "
            "steps), then, as Adam does with m and v, it is divided by 1 − 0.95^t so its start at 0 does not drag it "
            "down (step 1 shows the first loss). It shows the trend under the noise of one document per step."
        ),
        "ema = 0.95 * ema + 0.05 * loss  # from ema = 0, at every step t\nshown = ema / (1 - 0.95**t)",
        N_("the loss's EMA is {ema}"),
        ours=True,
    ),
    Term(
        N_("update:data ratio"),
        ("update:data", "update ratio", "update to data"),
        N_(
            "The spread of Adam's change to a matrix divided by the spread of its weights after the change. Adam "
            "moves a weight by about the learning rate, so the healthy band follows lr/std: from a tenth of it up to "
            "it (near 10^-1 in microgpt's first steps, then down as lr decays). The 1e-3 rule is plain SGD's."
        ),
        "ratio = std(new - old) / std(new)",
        N_("{n_healthy} of {n_matrices} matrices are in the band"),
        ours=True,
    ),
    Term(
        N_("parameter"),
        ("parameters", "params", "weight", "weights", "matrix", "matrices"),
        N_(
            "A number the model learns; every one sits in a weight matrix (wte, wpe, wq, wk, wv, wo, fc1, fc2, "
            "lm_head). Each step Adam moves every one that has had a gradient, by about the learning rate; one never "
            "used (a position no document has reached) stays put."
        ),
        "params = [p for mat in state_dict.values() for row in mat for p in row]",
        N_("{param_count} parameters in {n_matrices} matrices"),
    ),
    # Words of this app's own views: no line of microgpt computes them (ours).
    Term(
        N_("logit lens"),
        ("lens",),
        N_(
            "The forward view's peek at what the residual stream says so far: lm_head applied to the vector at that "
            "stage, softmaxed, and its three likeliest characters. microgpt has no norm between the last residual and "
            "lm_head, so the lens of the last residual is exactly the model's prediction; earlier ones show the guess "
            "forming block by block."
        ),
        "probs = softmax(linear(x, lm_head))  # x: the residual at that stage; its top 3 are shown",
        ours=True,
    ),
    Term(
        N_("PCA"),
        ("principal component analysis", "principal components", "principal component"),
        N_(
            "Principal component analysis: the two directions in which the token embeddings (the rows of wte) are "
            "most spread out. The embedding map (e) draws each token at its coordinates along those two, so tokens "
            "the model treats alike land near each other; what differs along the other directions is not shown."
        ),
        "the top 2 eigenvectors of the covariance of wte's rows; each token at (row · u1, row · u2)",
        ours=True,
    ),
    Term(
        N_("explained variance"),
        ("variance explained",),
        N_(
            "The share of the embeddings' total variance that lies along each PCA direction. Two shares that add up "
            "to {pca_share} mean the map shows {pca_share} of how the tokens' embeddings differ; the rest lies "
            "along directions the map leaves out."
        ),
        "share = variance along the direction / sum of the variances of all n_embd coordinates",
        ours=True,
    ),
    Term(
        N_("|x|"),
        ("norm", "vector length", "length of a vector"),
        N_(
            "The length of a vector: the square root of the sum of its squared values. The forward view prints it "
            "beside each stage: RMSNorm brings a vector back to a length of about √n_embd (4 for 16 numbers), and "
            "the residual stream grows or shrinks as each block adds to it."
        ),
        "math.sqrt(sum(v * v for v in x))",
        ours=True,
    ),
    Term(
        "lr/std",
        ("lr / std",),
        N_(
            "The parameter table's reference for the update:data ratio: log10 of the learning rate now divided by the "
            "std of the matrix's weights. Adam moves a weight by lr × m̂/(√v̂ + eps), about lr when its gradient keeps "
            "its sign, so lr/std is the update:data of such full-size steps; the shaded band runs from a tenth of "
            "it up to it."
        ),
        "math.log10(lr_t / std(weights))",
        ours=True,
    ),
    Term(
        N_("points of p"),
        ("percentage points", "pts", "points"),
        N_(
            "How the step summary measures a change in probability: a letter's p going from {p_before} to {p_after} "
            "is +0.9 points. “more likely e +0.9” is that change for e averaged over the positions of the document, "
            "from before the update to after it."
        ),
        "mean over positions of (p after the update - p before) * 100",
        ours=True,
    ),
)

BY_NAME = {term.name: term for term in TERMS}

# The term each panel is mostly about: the glossary opens there from the panel (or its explanation).
PANEL_TERMS = {
    "status": "EMA",
    "loss": "loss",
    "attention": "attention",
    "tokens": "softmax",
    "params": "update:data ratio",
    "samples": "temperature",
}


def lookup(word: str) -> Term | None:
    """The term `word` names (its name or one of its aliases, any case), or None."""
    word = word.strip().lower()
    for term in TERMS:
        if word in term.words:
            return term
    return None


class Searchable(Protocol):
    """A term, or an entry made from one."""

    @property
    def words(self) -> tuple[str, ...]: ...

    @property
    def body(self) -> str: ...

    @property
    def code(self) -> str: ...


T = TypeVar("T", bound=Searchable)


def search(items: Sequence[T], query: str) -> list[T]:
    """The items matching `query`: a name or alias first, then one containing it, then the text
    (all of them for an empty query)."""
    q = query.strip().lower()
    if not q:
        return list(items)
    exact = [t for t in items if q in t.words]
    named = [t for t in items if t not in exact and any(q in w for w in t.words)]
    rest = [t for t in items if t not in exact and t not in named and q in (t.body + t.code).lower()]
    return exact + named + rest


def mentions(text: str, word: str) -> bool:
    """`word` occurs in `text` as a whole word (case-insensitive)."""
    return re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text.lower()) is not None
