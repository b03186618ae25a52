"""Provides the features: each folder keeps one feature's state, intents, screen and drawing together."""
