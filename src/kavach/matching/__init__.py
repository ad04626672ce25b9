"""Matching: exact and PDQ indexes built at import, and the matcher a scan uses."""
