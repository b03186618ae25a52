"""Provides `microgpt-tui check`: a learner's own microgpt.py run beside this engine, to the first number
that differs."""
