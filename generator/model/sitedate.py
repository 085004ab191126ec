"""The build's date, from the sources rather than the clock, so output is reproducible."""
from __future__ import annotations

from datetime import UTC, datetime

from generator.model import Site


def source_date_epoch(site: Site) -> str | None:
    """SOURCE_DATE_EPOCH for this site: midnight UTC of the newest review record's date."""
    latest = max((r.date for r in site.reviews), default=None)
    if latest is None:
        return None
    return str(int(datetime(latest.year, latest.month, latest.day, tzinfo=UTC).timestamp()))
