"""Provides the tour feature."""
