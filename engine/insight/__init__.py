"""Analyses of a run that only the app and the CLI need, kept apart from microgpt's algorithm.

The algorithm (value, tape, ops, model, optim, train, sample, checkpoint) sits
one folder up and never imports from here; these modules read its plain
records and models: the run's history and time travel, the autograd graph
view, the embedding map, nearest training names, the quiz, loss baselines and
CSV export.
"""
