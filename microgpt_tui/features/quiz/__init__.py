"""Provides the quiz feature."""
