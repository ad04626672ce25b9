"""Examination in depth: reviews, new material, tools on a device, signs of wiping."""
