"""The HTTP headers the API needs from the host that serves the site: CORS on api/, so that a
web app on another origin can read it; a short Cache-Control where the answer changes with a
build (current.json and the index); a year, immutable, where the bytes never change (a text
named by its hash). One rule (`headers_for`) gives the `_headers` file Netlify and Cloudflare
Pages read, the preview server's headers (serve.py) and what docs/hosting.md shows for nginx,
Caddy and Apache (a test holds that page to these values)."""
from __future__ import annotations

import re
from collections.abc import Iterable

from generator.outputs.routes import API_CURRENT, API_INDEX, API_ROOT

HEADERS_FILE = "_headers"
# ETag exposed: a script on another origin may read it, to send If-None-Match itself.
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}
# Five minutes: a rebuild reaches apps within minutes, and an app polling more often than
# that is answered by its own cache.
SHORT = "public, max-age=300"
IMMUTABLE = "public, max-age=31536000, immutable"
_HASH_NAMED = re.compile(rf"^{re.escape(API_ROOT)}versions/[^/]+/[^/]+\.[0-9a-f]{{64}}\.json$")


def headers_for(path: str) -> dict[str, str]:
    """The headers to send with the file at `path` (from the site root, no leading slash)
    beyond what every static host sends."""
    if not path.startswith(API_ROOT):
        return {}
    cache = SHORT if path in (API_CURRENT, API_INDEX) else \
        IMMUTABLE if _HASH_NAMED.match(path) else None
    return {**CORS, **({"Cache-Control": cache} if cache else {})}


def headers_file(paths: Iterable[str]) -> bytes:
    """`_headers` for Netlify and Cloudflare Pages: CORS on the whole API, and each file's
    Cache-Control by its own path (their patterns match whole path segments or everything
    after a point, never "ends in a hash", so each hash-named text is listed)."""
    lines = [f"/{API_ROOT}*", *(f"  {name}: {value}" for name, value in CORS.items())]
    for path in sorted(paths):
        if cache := headers_for(path).get("Cache-Control"):
            lines += ["", f"/{path}", f"  Cache-Control: {cache}"]
    return ("\n".join(lines) + "\n").encode()
