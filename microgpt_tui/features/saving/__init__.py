"""Provides the saving feature."""
