"""Chat Data Platform: upload datasets and analyse them with an AI analyst in a sandbox."""

__version__ = "0.1.0"
