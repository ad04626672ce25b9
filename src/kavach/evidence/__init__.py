"""Evidence: exhibits, path specs, sources (folders, archives), hashing and scanning."""
