"""Provides the embeddings feature."""
