"""Provides the matrix feature."""
