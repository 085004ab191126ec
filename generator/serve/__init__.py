"""Serve: the live preview (incremental render, the engine's own server, errors in the page)."""
