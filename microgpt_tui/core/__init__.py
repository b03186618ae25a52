"""Provides what every feature shares, with no Textual import: the session, the interlocks between features
and their one implementation (the rules), the lab that builds the features, background jobs, the views.

The package imports nothing itself: a feature importing `microgpt_tui.core.session` must not pull in the
lab, which imports every feature (`Lab` is `microgpt_tui.core.lab.Lab`).
"""
