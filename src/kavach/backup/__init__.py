"""Backups of the Kavach database: a sealed, chunked container and its keys."""
