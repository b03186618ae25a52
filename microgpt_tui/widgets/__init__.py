"""Provides the app's widgets."""
