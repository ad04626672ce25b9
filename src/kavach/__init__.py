"""Kavach: forensic triage and case platform for units countering online CSEAM."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
