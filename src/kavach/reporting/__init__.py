"""Reporting: scan exports, the examination report, casework statistics, charts."""
