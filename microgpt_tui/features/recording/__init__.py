"""Record a session as its settings, its data's identity and every input with its time; replay it; share a screen.

`format.py` reads, writes and checks a recording (no Textual); `codes.py` the share codes.
"""
