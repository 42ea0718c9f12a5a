"""Compact Toolkit: publish local Compact guidance toolkits as static websites."""
__version__ = "0.1.0"
