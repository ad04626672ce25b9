"""The ``kavach`` command line (Typer + Rich), one module per noun."""
