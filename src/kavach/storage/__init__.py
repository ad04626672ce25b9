"""Storage: SQLAlchemy tables, the engine, migrations and the repositories."""
