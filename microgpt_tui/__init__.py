"""microgpt-tui: watch a tiny GPT learn, one step at a time."""
