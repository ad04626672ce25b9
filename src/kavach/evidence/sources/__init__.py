"""Evidence sources: a folder walked in a fixed order, and the archives inside it."""
