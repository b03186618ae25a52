"""Provides the app's renderables."""
