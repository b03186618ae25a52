"""Provides the interventions feature."""
