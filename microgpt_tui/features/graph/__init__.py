"""Provides the graph feature."""
