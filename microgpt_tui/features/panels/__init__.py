"""Provides the panels feature."""
