"""Provides the time travel feature."""
