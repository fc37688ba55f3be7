"""The GitHub Actions workflow `policygen init` writes into a new project: the recipe of
this repository's own .github/workflows/publish.yml, installing policygen with pip, its daily
rebuild at the policy's midnight (package template: generator/templates/publish.yml)."""
from __future__ import annotations

import datetime as dt
import string
import zoneinfo
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "publish.yml"
WORKFLOW = Path(".github") / "workflows" / "publish.yml"
# Minutes past midnight the daily run starts: the first minutes of the day a version takes
# effect (GitHub starts scheduled runs late, never early).
MINUTES_PAST_MIDNIGHT = 5


class _Template(string.Template):
    # `$` is GitHub's own (${{ github.ref }}): the template's blanks are %%name.
    delimiter = "%%"


def daily_cron(timezone: str, year: int) -> tuple[str, str]:
    """The UTC cron line of a daily run just after midnight in `timezone`, and a comment that
    says when it runs there. Where the zone moves its clocks, the run follows its smallest
    offset from UTC, so that it starts after midnight all year, later in summer time."""
    zone = zoneinfo.ZoneInfo(timezone)
    first = dt.datetime(year, 1, 1, tzinfo=zone)
    # Weekly samples: every zone keeps each of its offsets for longer than a week.
    offsets = {offset for week in range(53)
               if (offset := (first + dt.timedelta(weeks=week)).utcoffset()) is not None}
    utc = _clock(dt.timedelta(minutes=MINUTES_PAST_MIDNIGHT) - min(offsets))
    when = f"{utc} UTC is {_clock(dt.timedelta(minutes=MINUTES_PAST_MIDNIGHT))} in {timezone}"
    if len(offsets) > 1:
        later = dt.timedelta(minutes=MINUTES_PAST_MIDNIGHT) + max(offsets) - min(offsets)
        when += f", {_clock(later)} in summer time"
    hour, minute = utc.split(":")
    return f"{int(minute)} {int(hour)} * * *", when


def _clock(since_midnight: dt.timedelta) -> str:
    hour, minute = divmod(int(since_midnight.total_seconds() // 60) % (24 * 60), 60)
    return f"{hour:02d}:{minute:02d}"


def workflow_text(timezone: str, year: int, version: str) -> str:
    cron, when = daily_cron(timezone, year)
    return _Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        cron=cron, when=when, version=version)


def write(root: Path, timezone: str, today: dt.date, version: str) -> Path | None:
    """Write the workflow into project `root`; None, writing nothing, where the project
    already has a workflow of that name (its own, which init must not replace)."""
    path = root / WORKFLOW
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(workflow_text(timezone, today.year, version), encoding="utf-8")
    return path
