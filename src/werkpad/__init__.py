"""Werkpad: case management, matching and effectiveness evaluation for re-integration."""

__version__ = "0.1.0"
