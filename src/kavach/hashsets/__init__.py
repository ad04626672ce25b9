"""Known-hash lists: the model, digests, category schemes, formats and the importer."""
