"""Plain-text tables for the terminal, as `policygen status` and `policygen check` print them."""
from __future__ import annotations

from collections.abc import Sequence


def aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """Each row as a line: every column as wide as its widest cell, two spaces apart, no
    trailing spaces (so the last column may be as long as it likes)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows]
