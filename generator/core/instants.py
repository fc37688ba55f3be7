"""Days as instants: an effective date begins at midnight in the policy's IANA time zone, and
apps compare instants, not calendar days in a zone they do not know."""
from __future__ import annotations

import datetime as dt
import zoneinfo


def start_of(day: dt.date, timezone: str) -> dt.datetime:
    """The first instant of `day` in `timezone`, with the zone's offset then: midnight, or
    01:00 where a clock change skips midnight (America/Santiago, Asia/Beirut)."""
    zone = zoneinfo.ZoneInfo(timezone)
    # The round trip through UTC moves a wall time that never happened to the one that did.
    return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC).astimezone(zone)


def rfc3339(instant: dt.datetime) -> str:
    """An aware instant in RFC 3339, its own offset kept: 2027-04-01T00:00:00+09:00."""
    return instant.isoformat(timespec="seconds")
