"""Provides the runs feature."""
