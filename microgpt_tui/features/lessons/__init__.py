"""Provides the lessons feature: chapters that teach microgpt by driving the real app."""
