"""Provides the app's key bindings: one place lists every key, its action and its help."""

from textual.binding import Binding

TEMPERATURE = Binding.Group("temp", compact=True)
POSITION = Binding.Group("pos", compact=True)
HEAD = Binding.Group("head", compact=True)
LAYER = Binding.Group("layer", compact=True)
TIME = Binding.Group("time", compact=True)

BINDINGS = [
    Binding(
        "space", "step", "step", tooltip="One training step; shows the document's loss before and after it", id="step"
    ),
    Binding("r", "run", "run/pause", tooltip="Run or pause continuous training in the background", id="run"),
    Binding("s", "sample", "sample", tooltip="Sample a new name, one character at a time", id="sample"),
    Binding("question_mark", "help", "help", key_display="?", tooltip="List every key and what it does", id="help"),
    Binding(
        "L",
        "lessons",
        "lessons",
        tooltip="Lessons: chapters that teach microgpt with this session's model, from a name to a sampled name",
        id="lessons",
    ),
    Binding(
        "t",
        "tour",
        "tour",
        tooltip="A guided tour: one panel at a time, pressing the keys it asks for (esc ends it)",
        id="tour",
    ),
    Binding(
        "i",
        "explain",
        "explain",
        tooltip="Explain the focused panel in plain words, with this session's numbers (click a panel to focus it)",
        id="explain",
    ),
    Binding(
        "n",
        "next_char",
        "next",
        tooltip="Reveal exactly one more character of the sample (stops auto-advance)",
        id="next_char",
    ),
    Binding(
        "escape",
        "leave_sampling",
        "stop sampling",
        key_display="esc",
        show=False,
        tooltip="Leave sampling: drop an unfinished sample and show the training document again",
        id="leave_sampling",
    ),
    Binding(
        "plus,equals_sign",
        "temperature(0.1)",
        "temp +",
        key_display="+",
        tooltip="Raise the sampling temperature (flatter, more surprising)",
        id="temp_up",
        group=TEMPERATURE,
    ),
    Binding(
        "minus",
        "temperature(-0.1)",
        "temp -",
        key_display="-",
        tooltip="Lower the sampling temperature (sharper, more typical)",
        id="temp_down",
        group=TEMPERATURE,
    ),
    Binding(
        "left",
        "move(-1)",
        "position ←",
        tooltip="Select the previous position of the document or sample",
        id="pos_left",
        group=POSITION,
    ),
    Binding(
        "right",
        "move(1)",
        "position →",
        tooltip="Select the next position of the document or sample",
        id="pos_right",
        group=POSITION,
    ),
    Binding("h", "head(-1)", "head ←", tooltip="Show the previous attention head", id="head_prev", group=HEAD),
    Binding(
        "l", "head(1)", "head →", tooltip="Show the next attention head (tab works too)", id="head_next", group=HEAD
    ),
    Binding(
        "left_square_bracket",
        "layer(-1)",
        "layer ←",
        key_display="[",
        tooltip="Show the previous layer",
        id="layer_prev",
        group=LAYER,
    ),
    Binding(
        "right_square_bracket",
        "layer(1)",
        "layer →",
        key_display="]",
        tooltip="Show the next layer",
        id="layer_next",
        group=LAYER,
    ),
    Binding("a", "toggle_heads", "heads", tooltip="Show every head of the layer side by side, or one", id="all_heads"),
    Binding(
        "d",
        "before_after",
        "before/after",
        show=False,
        tooltip="After a step: the panels before its update, and what it did to each matrix; d again: after",
        id="before_after",
    ),
    # Time travel, interventions and predict-then-reveal (the features' intents: features/*/wiring.py).
    Binding(
        "comma",
        "view_step(-1)",
        "view earlier step",
        key_display=",",
        tooltip="Show the model as it was one step earlier, on the same document (training pauses)",
        id="view_earlier",
        group=TIME,
    ),
    Binding(
        "full_stop",
        "view_step(1)",
        "view later step",
        key_display=".",
        tooltip="Show the model one step later; past the last step is now again",
        id="view_later",
        group=TIME,
    ),
    Binding(
        "less_than_sign",
        "view_step(-10)",
        "view 10 steps earlier",
        key_display="<",
        show=False,
        tooltip="Jump ten steps back in time",
        id="view_back_10",
    ),
    Binding(
        "greater_than_sign",
        "view_step(10)",
        "view 10 steps later",
        key_display=">",
        show=False,
        tooltip="Jump ten steps forward in time (up to now)",
        id="view_forward_10",
    ),
    Binding(
        "c",
        "compare",
        "compare",
        tooltip="Step 0, the viewed step and now side by side on the same document",
        id="compare",
    ),
    Binding(
        "z",
        "ablate_head",
        "ablate head",
        show=False,
        tooltip="Switch the selected head off (all heads shown: the layer); the panels show the effect. "
        "Weights never change",
        id="ablate_head",
    ),
    Binding(
        "x",
        "ablate_layer",
        "ablate layer",
        show=False,
        tooltip="Switch the whole layer's attention off; the panels show the effect",
        id="ablate_layer",
    ),
    Binding(
        "u",
        "undo_interventions",
        "undo interventions",
        show=False,
        tooltip="Every head on again and back to now: the live model, exactly as trained",
        id="undo_interventions",
    ),
    Binding(
        "f",
        "force_char",
        "force next char",
        show=False,
        tooltip="While sampling: choose the next character yourself",
        id="force_char",
    ),
    Binding(
        "p",
        "quiz",
        "predict",
        tooltip="Predict, then reveal: guess the next character before seeing the model's distribution",
        id="quiz",
    ),
    # Looking inside: the autograd graph, the embedding map, export.
    Binding(
        "g",
        "graph",
        "graph",
        tooltip="Explore the last step's autograd graph: from the loss, a logit or a weight; how each gradient adds up",
        id="graph",
    ),
    Binding(
        "v",
        "forward",
        "forward pass",
        show=False,
        tooltip="Every vector of the forward pass at the selected position, stage by stage, with a logit lens",
        id="forward",
    ),
    Binding(
        "m",
        "matrix",
        "matrix heatmap",
        show=False,
        tooltip="The selected parameter-table row's matrix as a heatmap: weights, gradient, update Δ, Adam m and v, "
        "and the nudge check (enter or a click on a row opens it too)",
        id="matrix",
    ),
    Binding(
        "e",
        "embeddings",
        "embeddings",
        tooltip="Map the token embeddings (wte) to 2-D by PCA; it moves as training goes",
        id="embeddings",
    ),
    Binding(
        "ctrl+x",
        "export",
        "export SVG + CSV",
        show=False,
        priority=True,  # from every screen, a dialog's too (a modal screen hides the app's other keys)
        tooltip="Save an SVG of the screen and every step's loss and stats as CSV, next to the checkpoint",
        id="export",
    ),
    # Explain as you go: the tour, what each panel means, microgpt beside production LLMs.
    Binding(
        "b",
        "about",
        "microgpt vs production LLMs",
        show=False,
        tooltip="microgpt beside production LLMs: data, vocabulary, parameters, autograd, training, post-training",
        id="about",
    ),
    # The code behind the numbers, your own text, the words (issue 13).
    Binding(
        "k",
        "code",
        "the code behind it",
        show=False,
        tooltip="The engine's own source behind the focused panel (forward, loss, backward, Adam, sampling), its "
        "lines lit with this session's values",
        id="code",
    ),
    Binding(
        "y",
        "glossary",
        "glossary",
        show=False,
        tooltip="Look up a word the screens use: a few sentences, microgpt's line for it (or the app's own formula, "
        "labelled so), this session's figure",
        id="glossary",
    ),
    Binding(
        "slash",
        "probe",
        "ask about a text",
        key_display="/",
        show=False,
        tooltip="Type any name: see it tokenized, each next character's p and -log p, its loss, and its attention "
        "in the panels",
        id="probe",
    ),
    Binding("ctrl+s", "save", "save", tooltip="Save a checkpoint (weights, Adam state, step, RNG)", id="save"),
    Binding("q", "request_quit", "quit", tooltip="Quit (asks first if there are unsaved steps)", id="quit"),
]

# Experiments: settings and new runs, the runs side by side, the speed of training.
BINDINGS += [
    Binding(
        "o",
        "settings",
        "settings / new run",
        show=False,
        tooltip="Change lr, steps, the model's shape, seed, temperature, engine or data; applying starts a new run",
        id="settings",
    ),
    Binding(
        "w",
        "runs",
        "runs side by side",
        show=False,
        tooltip="Every run of this session in a table: what differs, the loss, samples; compare two, rename, "
        "remove, save, load",
        id="runs",
    ),
    Binding(
        "left_curly_bracket",
        "speed(-1)",
        "slower",
        key_display="{",
        show=False,
        tooltip="Train slower: 30, 10, 5, 2 or 1 steps a second (each step drawn)",
        id="speed_down",
    ),
    Binding(
        "right_curly_bracket",
        "speed(1)",
        "faster",
        key_display="}",
        show=False,
        tooltip="Train faster, up to as fast as it goes",
        id="speed_up",
    ),
]

# The footer shows the keys in this order, as many as fit: training and sampling, help and the tour first,
# then the features (explain, predict, compare, graph, embeddings), then the selection; the rest keep their place.
FIRST = (
    "step",
    "run",
    "sample",
    "help",
    "lessons",
    "tour",
    "explain",
    "next_char",
    "quiz",
    "compare",
    "graph",
    "embeddings",
)
BINDINGS.sort(key=lambda b: FIRST.index(b.id) if b.id in FIRST else len(FIRST))  # (stable: the rest as listed)

# The footer's short words, spelt out in the command palette and on the help screen.
LONG_NAMES = {
    "tour": "guided tour",
    "explain": "explain a panel",
    "quiz": "predict, then reveal",
    "compare": "compare steps",
    "graph": "autograd graph",
    "embeddings": "embedding map",
}


def long_name(binding: Binding) -> str:
    return LONG_NAMES.get(binding.id or "", binding.description)


# The actions that make sense in the command palette, with the help shown there.
COMMANDS = [b for b in BINDINGS if b.action not in ("help",)]

ACTIONS = {binding.action.split("(")[0] for binding in BINDINGS}  # the bound actions' names, without parameters
ACTION_NAMES = sorted(ACTIONS)
