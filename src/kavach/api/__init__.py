"""The REST API under /api (FastAPI): routes parse, call one service, return JSON."""
