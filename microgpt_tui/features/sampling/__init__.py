"""Provides the sampling feature."""
