"""Kaizen: lossless prompt-token compression for structured data."""

__version__ = "0.2.0"
