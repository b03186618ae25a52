"""Provides the app's key bindings: one place lists every key, its action and its help."""

from textual.binding import Binding

from microgpt_tui.language import N_, _

TEMPERATURE = Binding.Group(N_("temp"), compact=True)
POSITION = Binding.Group(N_("pos"), compact=True)
HEAD = Binding.Group(N_("head"), compact=True)
LAYER = Binding.Group(N_("layer"), compact=True)
TIME = Binding.Group(N_("time"), compact=True)

BINDINGS = [
    Binding(
        "space",
        "step",
        N_("step"),
        tooltip=N_("One training step; shows the document's loss before and after it"),
        id="step",
    ),
    Binding("r", "run", N_("run/pause"), tooltip=N_("Run or pause continuous training in the background"), id="run"),
    Binding("s", "sample", N_("sample"), tooltip=N_("Sample a new name, one character at a time"), id="sample"),
    Binding(
        "question_mark", "help", N_("help"), key_display="?", tooltip=N_("List every key and what it does"), id="help"
    ),
    Binding(
        "L",
        "lessons",
        N_("lessons"),
        tooltip=N_("Lessons: chapters that teach microgpt with this session's model, from a name to a sampled name"),
        id="lessons",
    ),
    Binding(
        "t",
        "tour",
        N_("tour"),
        tooltip=N_("A guided tour: one panel at a time, pressing the keys it asks for (esc ends it)"),
        id="tour",
    ),
    Binding(
        "i",
        "explain",
        N_("explain"),
        tooltip=N_("Explain the focused panel in plain words, with this session's numbers (click a panel to focus it)"),
        id="explain",
    ),
    Binding(
        "n",
        "next_char",
        N_("next"),
        tooltip=N_("Reveal exactly one more character of the sample (stops auto-advance)"),
        id="next_char",
    ),
    Binding(
        "escape",
        "leave_sampling",
        N_("stop sampling"),
        key_display="esc",
        show=False,
        tooltip=N_("Leave sampling: drop an unfinished sample and show the training document again"),
        id="leave_sampling",
    ),
    Binding(
        "plus,equals_sign",
        "temperature(0.1)",
        N_("temp +"),
        key_display="+",
        tooltip=N_("Raise the sampling temperature (flatter, more surprising)"),
        id="temp_up",
        group=TEMPERATURE,
    ),
    Binding(
        "minus",
        "temperature(-0.1)",
        N_("temp -"),
        key_display="-",
        tooltip=N_("Lower the sampling temperature (sharper, more typical)"),
        id="temp_down",
        group=TEMPERATURE,
    ),
    Binding(
        "left",
        "move(-1)",
        N_("position ←"),
        tooltip=N_("Select the previous position of the document or sample"),
        id="pos_left",
        group=POSITION,
    ),
    Binding(
        "right",
        "move(1)",
        N_("position →"),
        tooltip=N_("Select the next position of the document or sample"),
        id="pos_right",
        group=POSITION,
    ),
    Binding("h", "head(-1)", N_("head ←"), tooltip=N_("Show the previous attention head"), id="head_prev", group=HEAD),
    Binding(
        "l",
        "head(1)",
        N_("head →"),
        tooltip=N_("Show the next attention head (tab works too)"),
        id="head_next",
        group=HEAD,
    ),
    Binding(
        "left_square_bracket",
        "layer(-1)",
        N_("layer ←"),
        key_display="[",
        tooltip=N_("Show the previous layer"),
        id="layer_prev",
        group=LAYER,
    ),
    Binding(
        "right_square_bracket",
        "layer(1)",
        N_("layer →"),
        key_display="]",
        tooltip=N_("Show the next layer"),
        id="layer_next",
        group=LAYER,
    ),
    Binding(
        "a",
        "toggle_heads",
        N_("heads"),
        tooltip=N_("Show every head of the layer side by side, or one"),
        id="all_heads",
    ),
    Binding(
        "d",
        "before_after",
        N_("before/after"),
        show=False,
        tooltip=N_("After a step: the panels before its update, and what it did to each matrix; d again: after"),
        id="before_after",
    ),
    # Time travel, interventions and predict-then-reveal (the features' intents: features/*/wiring.py).
    Binding(
        "comma",
        "view_step(-1)",
        N_("view earlier step"),
        key_display=",",
        tooltip=N_("Show the model as it was one step earlier, on the same document (training pauses)"),
        id="view_earlier",
        group=TIME,
    ),
    Binding(
        "full_stop",
        "view_step(1)",
        N_("view later step"),
        key_display=".",
        tooltip=N_("Show the model one step later; past the last step is now again"),
        id="view_later",
        group=TIME,
    ),
    Binding(
        "less_than_sign",
        "view_step(-10)",
        N_("view 10 steps earlier"),
        key_display="<",
        show=False,
        tooltip=N_("Jump ten steps back in time"),
        id="view_back_10",
    ),
    Binding(
        "greater_than_sign",
        "view_step(10)",
        N_("view 10 steps later"),
        key_display=">",
        show=False,
        tooltip=N_("Jump ten steps forward in time (up to now)"),
        id="view_forward_10",
    ),
    Binding(
        "c",
        "compare",
        N_("compare"),
        tooltip=N_("Step 0, the viewed step and now side by side on the same document"),
        id="compare",
    ),
    Binding(
        "z",
        "ablate_head",
        N_("ablate head"),
        show=False,
        tooltip=N_(
            "Switch the selected head off (all heads shown: the layer); the panels show the effect. "
            "Weights never change"
        ),
        id="ablate_head",
    ),
    Binding(
        "x",
        "ablate_layer",
        N_("ablate layer"),
        show=False,
        tooltip=N_("Switch the whole layer's attention off; the panels show the effect"),
        id="ablate_layer",
    ),
    Binding(
        "u",
        "undo_interventions",
        N_("undo interventions"),
        show=False,
        tooltip=N_("Every head on again and back to now: the live model, exactly as trained"),
        id="undo_interventions",
    ),
    Binding(
        "f",
        "force_char",
        N_("force next char"),
        show=False,
        tooltip=N_("While sampling: choose the next character yourself"),
        id="force_char",
    ),
    Binding(
        "p",
        "quiz",
        N_("predict"),
        tooltip=N_("Predict, then reveal: guess the next character before seeing the model's distribution"),
        id="quiz",
    ),
    # Looking inside: the autograd graph, the embedding map, export.
    Binding(
        "g",
        "graph",
        N_("graph"),
        tooltip=N_(
            "Explore the last step's autograd graph: from the loss, a logit or a weight; how each gradient adds up"
        ),
        id="graph",
    ),
    Binding(
        "v",
        "forward",
        N_("forward pass"),
        show=False,
        tooltip=N_("Every vector of the forward pass at the selected position, stage by stage, with a logit lens"),
        id="forward",
    ),
    Binding(
        "m",
        "matrix",
        N_("matrix heatmap"),
        show=False,
        tooltip=N_(
            "The selected parameter-table row's matrix as a heatmap: weights, gradient, update Δ, Adam m and v, "
            "and the nudge check (enter or a click on a row opens it too)"
        ),
        id="matrix",
    ),
    Binding(
        "e",
        "embeddings",
        N_("embeddings"),
        tooltip=N_("Map the token embeddings (wte) to 2-D by PCA; it moves as training goes"),
        id="embeddings",
    ),
    Binding(
        "ctrl+x",
        "export",
        N_("export SVG + CSV"),
        show=False,
        priority=True,  # from every screen, a dialog's too (a modal screen hides the app's other keys)
        tooltip=N_("Save an SVG of the screen and every step's loss and stats as CSV, next to the checkpoint"),
        id="export",
    ),
    Binding(
        "X",
        "export_motion",
        N_("export the last minute"),
        show=False,
        tooltip=N_(
            "Save the last minute of screens as an asciicast (asciinema plays it) and an animated SVG, next to "
            "the checkpoint"
        ),
        id="export_motion",
    ),
    # Explain as you go: the tour, what each panel means, microgpt beside production LLMs.
    Binding(
        "b",
        "about",
        N_("microgpt vs production LLMs"),
        show=False,
        tooltip=N_("microgpt beside production LLMs: data, vocabulary, parameters, autograd, training, post-training"),
        id="about",
    ),
    # The code behind the numbers, your own text, the words (issue 13).
    Binding(
        "k",
        "code",
        N_("the code behind it"),
        show=False,
        tooltip=N_(
            "The engine's own source behind the focused panel (forward, loss, backward, Adam, sampling), its "
            "lines lit with this session's values"
        ),
        id="code",
    ),
    Binding(
        "y",
        "glossary",
        N_("glossary"),
        show=False,
        tooltip=N_(
            "Look up a word the screens use: a few sentences, microgpt's line for it (or the app's own formula, "
            "labelled so), this session's figure"
        ),
        id="glossary",
    ),
    Binding(
        "slash",
        "probe",
        N_("ask about a text"),
        key_display="/",
        show=False,
        tooltip=N_(
            "Type any name: see it tokenized, each next character's p and -log p, its loss, and its attention "
            "in the panels"
        ),
        id="probe",
    ),
    Binding("ctrl+s", "save", N_("save"), tooltip=N_("Save a checkpoint (weights, Adam state, step, RNG)"), id="save"),
    Binding("q", "request_quit", N_("quit"), tooltip=N_("Quit (asks first if there are unsaved steps)"), id="quit"),
]

# Experiments: settings and new runs, the runs side by side, the speed of training.
BINDINGS += [
    Binding(
        "o",
        "settings",
        N_("settings / new run"),
        show=False,
        tooltip=N_("Change lr, steps, the model's shape, seed, temperature, engine or data; applying starts a new run"),
        id="settings",
    ),
    Binding(
        "w",
        "runs",
        N_("runs side by side"),
        show=False,
        tooltip=N_(
            "Every run of this session in a table: what differs, the loss, samples; compare two, rename, "
            "remove, save, load"
        ),
        id="runs",
    ),
    Binding(
        "left_curly_bracket",
        "speed(-1)",
        N_("slower"),
        key_display="{",
        show=False,
        tooltip=N_("Train slower: 30, 10, 5, 2 or 1 steps a second (each step drawn)"),
        id="speed_down",
    ),
    Binding(
        "right_curly_bracket",
        "speed(1)",
        N_("faster"),
        key_display="}",
        show=False,
        tooltip=N_("Train faster, up to as fast as it goes"),
        id="speed_up",
    ),
]

# Record, replay and share (features/recording): from every screen, like ctrl+x.
BINDINGS += [
    Binding(
        "ctrl+r",
        "record",
        N_("record"),
        show=False,
        priority=True,
        tooltip=N_("Start recording the session, or stop and write the file (microgpt-tui play FILE replays it)"),
        id="record",
    ),
    Binding(
        "ctrl+l",
        "share_code",
        N_("share this screen"),
        show=False,
        priority=True,
        tooltip=N_(
            "A short code for this screen (settings, data, step, view, selection, ablations), copied where "
            "the terminal allows: microgpt-tui --open CODE reopens it"
        ),
        id="share_code",
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
    "tour": N_("guided tour"),
    "explain": N_("explain a panel"),
    "quiz": N_("predict, then reveal"),
    "compare": N_("compare steps"),
    "graph": N_("autograd graph"),
    "embeddings": N_("embedding map"),
}


def long_name(binding: Binding) -> str:
    """The binding's name spelt out, in the current language."""
    return _(LONG_NAMES.get(binding.id or "", binding.description))


# The actions that make sense in the command palette, with the help shown there.
COMMANDS = [b for b in BINDINGS if b.action not in ("help",)]

ACTIONS = {binding.action.split("(")[0] for binding in BINDINGS}  # the bound actions' names, without parameters
ACTION_NAMES = sorted(ACTIONS)
