"""Ink Studio: an offline desktop studio for traditional Chinese ink painting (水墨/山水)."""

from __future__ import annotations

__version__ = "0.1.0"
