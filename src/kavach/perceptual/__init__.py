"""Perceptual hashing of pictures (PDQ)."""
