"""Examination in depth: reviews and new material, tools found on a device, signs
of wiping, and what the court papers are filled from."""
