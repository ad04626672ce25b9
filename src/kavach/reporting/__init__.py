"""Reporting: CSV, JSON and VICS exports of a scan, and the HTML examination report."""
