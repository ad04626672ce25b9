"""Long jobs started from the web (list imports, scans): their state and progress,
kept in the database so a page reload, or another server process, sees them."""
