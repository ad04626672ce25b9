"""Geography: where a GPS point lies (district, state, country)."""
