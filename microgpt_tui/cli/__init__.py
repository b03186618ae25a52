"""Provides the `microgpt-tui` command line, apart from the app it opens.

`main` (the commands) and `serve` (the browser server and the app process it
starts) both build on `options` (the parser, the checks, the trainer) and
`launch` (the only module that imports the Textual app, lazily); nothing
imports `main` but the entry point. This file imports nothing, so that
`python -m microgpt_tui.cli.serve` loads only what it runs.
"""
