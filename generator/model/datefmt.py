"""How the site writes a date for readers: "22 November 2026", one format everywhere."""
from __future__ import annotations

from datetime import date


def longdate(d: date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"
