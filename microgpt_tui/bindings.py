"""Provides the app's key bindings: one place lists every key, its action and its help."""

from textual.binding import Binding

TEMPERATURE = Binding.Group("temp", compact=True)
POSITION = Binding.Group("pos", compact=True)
HEAD = Binding.Group("head", compact=True)
LAYER = Binding.Group("layer", compact=True)

BINDINGS = [
    Binding("space", "step", "step", tooltip="One training step; shows the document's loss before and after it", id="step"),
    Binding("r", "run", "run/pause", tooltip="Run or pause continuous training in the background", id="run"),
    Binding("s", "sample", "sample", tooltip="Sample a new name, one character at a time", id="sample"),
    Binding("n", "next_char", "next", tooltip="Reveal exactly one more character of the sample (stops auto-advance)", id="next_char"),
    Binding("plus,equals_sign", "temperature(0.1)", "temp +", key_display="+", tooltip="Raise the sampling temperature (flatter, more surprising)", id="temp_up", group=TEMPERATURE),
    Binding("minus", "temperature(-0.1)", "temp -", key_display="-", tooltip="Lower the sampling temperature (sharper, more typical)", id="temp_down", group=TEMPERATURE),
    Binding("left", "move(-1)", "position ←", tooltip="Select the previous position of the document or sample", id="pos_left", group=POSITION),
    Binding("right", "move(1)", "position →", tooltip="Select the next position of the document or sample", id="pos_right", group=POSITION),
    Binding("h", "head(-1)", "head ←", tooltip="Show the previous attention head", id="head_prev", group=HEAD),
    Binding("l", "head(1)", "head →", tooltip="Show the next attention head (tab works too)", id="head_next", group=HEAD),
    Binding("left_square_bracket", "layer(-1)", "layer ←", key_display="[", tooltip="Show the previous layer", id="layer_prev", group=LAYER),
    Binding("right_square_bracket", "layer(1)", "layer →", key_display="]", tooltip="Show the next layer", id="layer_next", group=LAYER),
    Binding("a", "toggle_heads", "heads", tooltip="Show every head of the layer side by side, or one", id="all_heads"),
    Binding("ctrl+s", "save", "save", tooltip="Save a checkpoint (weights, Adam state, step, RNG)", id="save"),
    Binding("question_mark", "help", "help", key_display="?", tooltip="List every key and what it does", id="help"),
    Binding("q", "request_quit", "quit", tooltip="Quit (asks first if there are unsaved steps)", id="quit"),
]

# The actions that make sense in the command palette, with the help shown there.
COMMANDS = [b for b in BINDINGS if b.action not in ("help",)]
