"""Provides the training feature."""
