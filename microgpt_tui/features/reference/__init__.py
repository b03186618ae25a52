"""Provides the reference feature."""
