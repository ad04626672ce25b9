"""Casework: police units and places, operations, searches, seizures, FIRs."""
