"""Provides every word the app uses to explain itself: the tour, the panel help, the about table, the tooltips.

They live here, together, so they can be read and corrected in one sitting.
Words in braces ({vocab_size}, {param_count}, {doc} ...) are this session's
live figures, filled in by `fill` from `facts.session_facts`; a test fills
every text to prove no placeholder is misspelt. Texts may use Rich markup
([b]bold[/b]); the figures are escaped before they go in.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from rich.markup import escape

from microgpt_tui.language import N_, _


def fill(template: str, facts: Mapping[str, str]) -> str:
    """The template with this session's figures in it (Rich markup; the figures escaped)."""
    return template.format_map({name: escape(value) for name, value in facts.items()})


# -- the guided tour ---------------------------------------------------------------------


@dataclass(frozen=True)
class TourStep:
    title: str
    body: str  # a few sentences, with {placeholders}
    panel: str | None  # the id of the panel it highlights
    key: str  # the key it asks for; "enter" for a step that only explains
    on: tuple[str, ...] = ()  # what advances it: app actions ("step", "run", ...) or "paused" (training stopped)


TOUR = [
    TourStep(
        N_("Welcome to microgpt"),
        N_(
            "This is microgpt: a GPT with {param_count} parameters that learns to make up new documents like its "
            "data's, small enough to watch every number. The tour highlights one panel at a time and asks you to press "
            "the key that drives it; everything you do is real training. The status line above counts the steps and "
            "shows the data: {n_docs} documents from {dataset}."
        ),
        "status",
        "enter",
    ),
    TourStep(
        N_("The data and the tokenizer"),
        N_(
            "Each line of the data is one document. The tokenizer turns it into numbers, one token per character, with "
            "the special token BOS (drawn ◆) at both ends: “{doc}” becomes {doc_tokens}, that is {doc_ids}. The "
            "vocabulary is {n_chars} characters plus BOS: {vocab_size} tokens. At every position the model predicts "
            "the token after it. The attention panel is labelled with these tokens: press → to move along the document."
        ),
        "attention",
        "→",
        ("move",),
    ),
    TourStep(
        N_("One training step"),
        N_(
            "Press space to train on “{doc}”. The model predicts every next token of the document, the loss measures "
            "how surprised it was, backpropagation works out how each of the {param_count} parameters should change to "
            "lower it, and Adam nudges them a little: each by about the learning rate, except those that have never "
            "had a gradient (the embedding of a character or a position no document has used yet stays put)."
        ),
        "loss",
        "space",
        ("step",),
    ),
    TourStep(
        N_("Its loss"),
        N_(
            "That step's loss was {loss}: the average, over the document's positions, of −ln p, where p is the "
            "probability the model gave the character that actually came next. A model that knows nothing gives each "
            "of the {vocab_size} tokens p = 1/{vocab_size}, so its loss is ln {vocab_size} = {uniform}: the red line. "
            "After the update the same document scores {loss_after} (the status line says so)."
        ),
        "loss",
        "enter",
    ),
    TourStep(
        N_("Attention"),
        N_(
            "Each row is a position doing the looking (the query; its token is on the left), each column a position it "
            "looks at (the key). A row's weights come out of a softmax, so they add up to 1 (the selected row: "
            "{row_sum}). Above the diagonal there are only dim dots: a position may look back, never ahead at the "
            "characters it is learning to predict. Each of the {n_head} heads learns its own pattern: press l for the "
            "next head."
        ),
        "attention",
        "l",
        ("head",),
    ),
    TourStep(
        N_("The next token"),
        N_(
            "For the selected position the model gives each of the {vocab_size} tokens a probability; the bars are "
            "sorted and ▸ marks the character that actually came next. −ln p of that bar is this position's term: the "
            "loss is the mean of these terms over the positions. Sampling divides the scores by the temperature "
            "before the softmax: below 1 the bars get "
            "sharper, above 1 flatter. A training document's bars are the raw belief (T 1); the temperature, now "
            "{temperature}, is what the next sample is drawn at: press + to raise it and watch 'samples: T' change."
        ),
        "tokens",
        "+",
        ("temperature",),
    ),
    TourStep(
        N_("Parameters"),
        N_(
            "The {param_count} parameters sit in {n_matrices} matrices: embeddings of tokens (wte) and positions "
            "(wpe), attention (wq wk wv wo), the MLP (fc1 fc2) and lm_head, which turns the last vector into a score "
            "per token. Each row shows the weights' mean and spread, the gradient's size |grad|, and the update:data "
            "ratio: Adam's change next to the weights. Adam moves a weight by about the learning rate, rarely more, "
            "so the shaded band runs from a tenth of lr/std up to lr/std, sliding down as the learning rate decays."
        ),
        "params",
        "enter",
    ),
    TourStep(
        N_("Let it train"),
        N_(
            "Press r to train continuously. The dots are each step's loss, noisy because every step sees a different "
            "document, some easy, some odd. The gold line is the mean of the last {window} steps: watch it fall from "
            "{uniform} toward the green bigram line ({bigram}), the loss of predicting from the previous character "
            "alone, and on through it: the model also knows how far into the document it is."
        ),
        "loss",
        "r",
        ("run",),
    ),
    TourStep(
        N_("Pause"),
        N_(
            "Training runs in a background thread while you look around; the panels keep up a few times a second. "
            "Press r again to pause it: sampling uses the weights as they stand."
        ),
        "loss",
        "r",
        ("paused",),
    ),
    TourStep(
        N_("Sample a name"),
        N_(
            "Press s to sample: starting from ◆ the model draws one character at a time from its next-token bars, at "
            "temperature {temperature}, until it draws ◆ again. A ✓ marks a sample that is a line of the data file, "
            "though training may never have shown it ({seen_names}); the others are in no line of it."
        ),
        "samples",
        "s",
        ("sample",),
    ),
    TourStep(
        N_("That's the tour"),
        N_(
            "This is an ordinary session now, {steps_in} in: carry on as you like. i explains the panel you clicked "
            "(or lets you choose one), b compares microgpt with production LLMs, ? lists every key, t starts this tour "
            "again."
        ),
        None,
        "enter",
    ),
]

TOUR_KEYS = N_("enter next · backspace back · y glossary · esc end the tour")
TOUR_PRESS = N_("press [b]{key}[/b] (or [b]enter[/b] to read on)")
TOUR_NEXT = N_("press [b]enter[/b] to go on")
TOUR_ALREADY = N_("{why} · press [b]enter[/b] to go on")
TOUR_STOPPED = N_("training has already stopped")

OFFER = N_(
    "new here? press L for the lessons, chapter by chapter (t: a short tour of the screen) · i explains a panel · "
    "? every key"
)
TOUR_ENDED = N_(
    "tour ended at step {at} of {total}: t starts it again, i explains a panel, b compares with production LLMs"
)
TOUR_FINISHED = N_("tour finished: L opens the lessons (chapter 1 next), i explains a panel, t takes the tour again")
TOUR_RUNNING = N_("the tour is on: esc ends it")


# -- what each panel means -----------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    name: str  # as listed in the chooser
    body: str  # paragraphs, with {placeholders}


PANELS = {
    "status": Explanation(
        N_("status line"),
        N_(
            "[b]step[/b] {step}/{steps_total}: training steps taken out of those configured. Each step trains on one "
            "document, and the learning rate decays in a straight line from {lr} to nearly 0 at the last step.\n\n"
            "[b]loss[/b] {loss}: the last step's loss. [b]ema[/b] {ema}: its exponential moving average, a steadier "
            "reading of a noisy number.\n\n"
            "[b]lr[/b] {lr_now}: the learning rate of the last step, Adam's step size.\n\n"
            "[b]PAUSED · TRAINING · SAMPLING[/b]: what the app is doing. r trains, s samples.\n\n"
            "[b]params[/b] {param_count}: every number the model learns.\n\n"
            "[b]{dataset}[/b] {n_docs} docs: the training data, one document per line.\n\n"
            "The second line says what just happened. Hover over a field for a reminder."
        ),
    ),
    "loss": Explanation(
        N_("loss"),
        N_(
            "Loss measures how surprised the model is by the data: at each position, −ln p of the character that "
            "actually came next, averaged over the document. Lower is better; 0 would mean always certain and always "
            "right.\n\n"
            "[b]The uniform line, {uniform} = ln {vocab_size}[/b]: a model that knows nothing spreads "
            "p = 1/{vocab_size} over the {vocab_size} tokens, and pays ln {vocab_size} for every character. "
            "A fresh model starts near it.\n\n"
            "[b]The bigram line, {bigram}[/b]: count in the data which character follows which, then predict from the "
            "previous character alone. The model can go below it because it knows more than the previous character: "
            "its position embedding tells it how far into the document it is, and attention lets it read the earlier "
            'characters. On names the position is enough to beat the line: the "no attention" preset (o), which sees '
            "only the previous character and its position, goes below it too.\n\n"
            "[b]Why the dots are noisy[/b]: each step is one document. On names, a common name with usual letters is "
            "easy, a rare one hard, so one step's loss jumps around even while the model improves.\n\n"
            "[b]The gold line[/b] is the mean of the last {window} steps (of all of them while there are fewer; {mean} "
            "now), and the status line's ema ({ema}) a moving average: both show the trend the dots hide.\n\n"
            "Now: step {step} of {steps_total}, last loss {loss}."
        ),
    ),
    "attention": Explanation(
        N_("attention"),
        N_(
            "Layer {layer} of {n_layer}, head {head} of {n_head}. [b]Rows[/b] are the positions doing the looking "
            "(queries), labelled with their input token; [b]columns[/b] are the positions they look at (keys). A "
            "cell's brightness is the share of its attention the row gives that column.\n\n"
            "[b]Each row sums to 1[/b]: it is a softmax over the scores query·key / √{head_dim}, a probability "
            "distribution over the positions the row may see. The selected row (position {position}, ‘{row_label}’) "
            "sums to {row_sum}; its largest weight is {row_top}.\n\n"
            "[b]The heatmap is triangular[/b]: position t may look at positions 0 to t only (the causal mask). "
            "Looking ahead would let it read the very character it is asked to predict, so those cells are dim "
            "dots.\n\n"
            "Each head works with {head_dim} of the {n_embd} dimensions and learns its own pattern. h and l (or tab) "
            "change the head, a shows every head, the square brackets change the layer, ← and → the row."
        ),
    ),
    "tokens": Explanation(
        N_("next token"),
        N_(
            "After the selected position ({position}), the model scores every one of the {vocab_size} tokens and a "
            "softmax turns the scores into probabilities that add up to 100%. The bars are sorted, most likely "
            "first; ▸ marks the token that actually came next (training) or was drawn (sampling).\n\n"
            "[b]p and −log p[/b]: on a document, −ln p of the marked token is this position's term: the loss is the "
            "mean of these terms over the document's positions (a sample has no loss: its −ln p is only how "
            "surprising the draw was). p = 1/{vocab_size} "
            "costs {uniform}, p = {p_half} costs 0.69, p = {p_whole} costs 0.\n\n"
            "[b]Temperature {temperature}[/b]: sampling divides the scores by T before the softmax. Below 1 the bars "
            "sharpen (safer, more typical samples); above 1 they flatten (more surprising, more misspelt). The bars of "
            "a training document are the raw belief, T = 1. + and − change T."
        ),
    ),
    "params": Explanation(
        N_("parameters"),
        N_(
            "{param_count} parameters in {n_matrices} matrices. One row each: its shape, the mean and standard "
            "deviation (std) of its weights, |grad| (the size of this step's gradient), the update:data gauge, and a "
            "sparkline of recent |grad|.\n\n"
            "[b]update:data[/b] (log upd) is log10 of the spread of Adam's change divided by the spread of the "
            "weights after the update. Adam divides each gradient's running mean by its running size, so a weight "
            "moves by about the learning rate (at most a few times it, usually less), whatever the gradient's scale. "
            "The reference for this optimiser is therefore "
            "[b]lr/std[/b] = log10(learning rate now ÷ std of the weights) ({ref_now} for the first matrix now); the "
            "shaded band of the gauge runs from a tenth of it up to it. With this schedule the learning rate decays "
            "linearly from {lr} toward 0, so the band and the dots slide down together from about 10^-1 to 10^-4 by "
            "the last step: that is the schedule, not trouble.\n\n"
            "[b]When it signals trouble[/b]: a learning rate too large shows first in the loss, which jumps up or "
            "diverges; lr/std alone is no alarm (microgpt's own defaults start near 10^-0.9 and train smoothly). A dot "
            "well below its band means most of the matrix's weights hardly move: their gradients keep changing sign, "
            "so Adam's running mean cancels out, or they have had no gradient for a while. A small but steady gradient "
            "is no reason: Adam still moves its weight by about the learning rate. (The 1e-3 rule of thumb is for "
            "plain SGD on larger networks; it does not apply to Adam here.)\n\n"
            "Now: {n_healthy} of {n_matrices} matrices in the band; learning rate {lr_now} (it starts at {lr} and "
            "decays to 0 over {steps_counted})."
        ),
    ),
    "samples": Explanation(
        N_("samples"),
        N_(
            "Each sample is drawn one character at a time: start at ◆ (BOS), compute the next-token probabilities at "
            "temperature {temperature}, draw one, feed it back in, and stop when ◆ comes out again (or after "
            "{block_size} tokens).\n\n"
            "[b]✓[/b]: the sample is a line of the data file. That does not mean the model memorised it: "
            "{seen_names}, and a short common line comes out of the letter statistics alone. No ✓: no line of the file "
            "is this sample.\n\n"
            "So far: {samples_so_far}. s samples another; n reveals one character at a time."
        ),
    ),
}

EXPLAIN_HINT = N_("↑ ↓ choose a panel · y glossary · esc close")
# The chapter of the lessons (L) that teaches each panel with the live model (features/lessons/chapters).
PANEL_LESSONS = {"status": 1, "tokens": 2, "attention": 2, "samples": 2, "loss": 3, "params": 5}
EXPLAIN_LESSON = N_("To learn it step by step on this model: esc, then [b]L[/b], chapter {chapter}.")
EXPLAIN_CHOOSE = N_("No panel was focused: ↑ ↓ choose one. (Click a panel before pressing i to go straight to it.)")


# -- the autograd graph: what each kind of node is, in one line ------------------------------

NODE_KINDS = {
    "param": N_("a weight: one number of a matrix, which Adam updates"),
    "const": N_("a constant fed into the graph (it gets a gradient, but nothing updates it)"),
    "+": N_("a sum: its gradient passes unchanged to each input"),
    "*": N_("a product: each input gets the gradient times the other input"),
    "dot": N_("a dot product Σ wᵢxᵢ, fused into one node: each wᵢ gets grad × xᵢ, each xᵢ grad × wᵢ"),
    "mean": N_("the average of its inputs: each gets grad ÷ their count"),
    "relu": N_("max(0, x): the gradient passes where x > 0 and stops where x ≤ 0"),
    "rms_scale": N_("RMSNorm's scale 1/√(mean x² + ε), one fused node: it keeps the vector's size near 1"),
    "softmax": N_("one attention weight: exp of a score over the sum of all the exps (a softmax output)"),
    "cross_entropy": N_(
        "−ln p(actual next token) at one position, the next-token softmax fused in: the loss is the mean of these terms"
    ),
    "ablated": N_("a head switched off: its output is 0 and no gradient flows through it"),
    # The plain engine's kinds (one Value per scalar operation, as microgpt builds them)
    "**": N_("a power xⁿ (n −1 divides, −0.5 is RMSNorm's 1/√): the input gets grad × n·xⁿ⁻¹"),
    "exp": N_("eˣ, a softmax's numerator: the input gets grad × eˣ (this node's own value)"),
    "log": N_("ln x, of the probability of the actual next token: the input gets grad ÷ x"),
    "logit": N_("the model's score for one token at one position, before the softmax"),
    "loss": N_("the mean of the positions' cross-entropies: backward starts here"),
}


def node_kind(op: str, label: str) -> str:
    """One line on what a node of this kind is (its label's own kind first: logit[a]@pos2, loss)."""
    for kind in ("logit", "loss", "cross_entropy"):
        if label.startswith(kind):
            return _(NODE_KINDS[kind])
    if op.startswith("**"):  # the plain engine's powers, "**-1" and "**-0.5"
        return _(NODE_KINDS["**"])
    return _(NODE_KINDS[op]) if op in NODE_KINDS else _("an operation ({op})").format(op=op)


# -- microgpt next to production LLMs ---------------------------------------------------------

ABOUT_TITLE = N_("microgpt next to production LLMs")
ABOUT_HEADER = ("", N_("microgpt, this session"), N_("production LLMs (e.g. Llama 3, 2024)"))
ABOUT_ROWS = [
    (
        N_("data"),
        N_("{n_docs} documents from {dataset}, {n_chars_total} characters"),
        N_("trillions of tokens of web pages, books and code, filtered and deduplicated (Llama 3: over 15 trillion)"),
    ),
    (
        N_("vocabulary"),
        N_("one token per character: {n_chars} characters + BOS = {vocab_size} tokens"),
        N_("subword pieces learnt by byte-pair encoding, about 100,000 to 200,000 tokens (Llama 3: 128,000)"),
    ),
    (
        N_("parameters"),
        N_("{param_count}: {layers}, {n_embd}-wide vectors, {n_head} heads, {block_size} tokens of context"),
        N_(
            "billions to hundreds of billions (Llama 3: 8 to 405 billion; the largest has 126 layers and 128,000 "
            "tokens of context)"
        ),
    ),
    (
        N_("autograd"),
        N_("the chain rule over plain Python numbers, on one CPU core: {autograd}"),
        N_("tensor autograd (PyTorch, JAX) compiled into GPU kernels, in 16-bit or lower precision"),
    ),
    (
        N_("training"),
        N_("{steps_counted} of one document each, Adam; {step} done"),
        N_("millions of tokens per step, for weeks, on thousands of GPUs (Llama 3 405B: up to 16,000 H100s)"),
    ),
    (
        N_("post-training"),
        N_("none: it continues documents the way the data does"),
        N_(
            "supervised fine-tuning on conversations, then preference tuning and reinforcement learning: this is "
            "what turns a text continuer into an assistant"
        ),
    ),
    (
        N_("sampling"),
        N_("one character at a time at temperature {temperature}"),
        N_(
            "the same loop, one token at a time, with a cache of keys and values as here, plus top-p and many users "
            "batched together"
        ),
    ),
]
ABOUT_FOOTER = N_(
    "The algorithm is the same: tokens in, a Transformer, next-token cross-entropy, backpropagation, Adam, "
    "sampling. The rest is efficiency and scale: 405 billion parameters are {scale} times this model's "
    "{param_count}. Figures for production models: Meta's Llama 3 paper (2024)."
)
ABOUT_HINT = N_("esc close")


# -- tooltips on the status line ----------------------------------------------------------------

STATUS_TOOLTIPS = {
    "step": N_(
        "Training steps taken / steps configured. Each step trains on one document; "
        "the learning rate decays in a straight line to nearly 0 at the last."
    ),
    "loss": N_(
        "The last step's loss: the mean of −ln p(actual next character) over the document. "
        "ln(vocabulary size) means guessing uniformly."
    ),
    "ema": N_(
        "Exponential moving average of the loss (β 0.95, about the last 20 steps), bias-corrected "
        "as Adam's moments are, so step 1 shows the first loss: the trend under the per-document noise."
    ),
    "lr": N_(
        "The learning rate of the last step: Adam's step size. It decays linearly to 0 over the configured steps."
    ),
    "rate": N_("Training speed: steps per second over the last two seconds."),
    "speed": N_("The speed control: at most this many steps a second, each one drawn ({ slower, } faster)."),
    "mode": N_("What the app is doing: PAUSED, TRAINING (r to run or pause) or SAMPLING (s)."),
    "params": N_(
        "Trainable parameters: every number in the model's weight matrices. Adam moves each one "
        "that has had a gradient (one never used, like an unseen character's embedding, stays put)."
    ),
    "dataset": N_("The training data: one document per line, and how many documents."),
    "note": N_("What just happened, in words."),
}
