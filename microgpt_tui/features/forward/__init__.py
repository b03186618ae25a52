"""Provides the forward feature."""
