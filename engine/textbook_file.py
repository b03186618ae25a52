"""Provides `TEXTBOOK`: where the whole algorithm sits as one runnable file, `textbook/microgpt.py`.

That file is microgpt in one piece (a scalar `Value`, the model, Adam, the training loop, sampling),
written to be read and giving this engine's numbers bit for bit. It trains as soon as it runs, so it is
never imported: it ships as package data, to be read (the app's code view) and run as a script in a
folder holding `input.txt` (the checker's reference for a learner's own microgpt.py).
"""

from pathlib import Path

TEXTBOOK = Path(__file__).resolve().parent / "textbook" / "microgpt.py"
