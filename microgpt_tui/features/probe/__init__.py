"""Provides the probe feature."""
