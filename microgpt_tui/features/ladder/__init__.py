"""The ladder: microgpt built up rung by rung, trained apart from the live run (the lessons' chapters 8 and 9)."""
