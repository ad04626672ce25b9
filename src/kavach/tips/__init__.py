"""Tip intake: the model, identifier and time normalisation, and tip formats."""
