"""The headers the API needs from its host: written for Netlify and Cloudflare Pages, sent by
`policygen serve`, and documented for nginx, Caddy and Apache from the same rule."""
from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.request
from pathlib import Path

import pytest

from generator.outputs import hosting
from generator.serve import HostedFiles
from tests.helpers import ROOT, copy_project

HASH_NAMED = ("api/v1/versions/2018-07-06/"
              "ja.ce431c6359ffad869591e496de3660d4a1df6ddede0caa67768adc7995258a85.json")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("hosting")).build().result.out_dir


@pytest.fixture(scope="module")
def served(built):
    """The built example on a free loopback port, as HostedFiles serves it."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(HostedFiles, directory=str(built)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_each_kind_of_file_gets_its_headers():
    cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}
    assert hosting.headers_for("api/v1/current.json") == {
        **cors, "Cache-Control": "public, max-age=300"}
    assert hosting.headers_for("api/v1/policy.json")["Cache-Control"] == "public, max-age=300"
    assert hosting.headers_for(HASH_NAMED)["Cache-Control"] == \
        "public, max-age=31536000, immutable"
    # The latest text under its plain name changes with a correction: never immutable.
    assert hosting.headers_for("api/v1/versions/2018-07-06/ja.json") == cors
    assert hosting.headers_for("en/index.html") == {}


def test_the_build_writes_headers_for_netlify_and_cloudflare_pages(built):
    rules = (built / "_headers").read_text()
    assert rules.startswith("/api/v1/*\n  Access-Control-Allow-Origin: *\n")
    assert f"/{HASH_NAMED}\n  Cache-Control: public, max-age=31536000, immutable" in rules
    hash_named = {str(p.relative_to(built)) for p in (built / "api/v1/versions").rglob("*.json")
                  if re.search(r"\.[0-9a-f]{64}\.json$", p.name)}
    assert {line[1:] for line in rules.splitlines() if line.startswith("/api/v1/versions/")} \
        == hash_named and len(hash_named) >= 6


def test_the_preview_server_sends_the_same_headers_and_answers_if_none_match(served):
    for path in ("api/v1/current.json", HASH_NAMED, "api/v1/schema/current.schema.json"):
        with urllib.request.urlopen(served + path) as response:
            sent = dict(response.headers)
            assert {name: sent.get(name) for name in hosting.headers_for(path)} == \
                hosting.headers_for(path)
            etag = response.headers["ETag"]
        request = urllib.request.Request(served + path, headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request)
        assert answer.value.code == 304
        assert answer.value.headers["Access-Control-Allow-Origin"] == "*"


def test_the_hosting_guide_gives_each_server_the_same_values():
    guide = (ROOT / "docs/hosting.md").read_text()
    snippets = dict(re.findall(r"```(nginx|caddy|apache)\n(.*?)```", guide, re.S))
    assert set(snippets) == {"nginx", "caddy", "apache"}
    for text in snippets.values():
        for value in (hosting.SHORT, hosting.IMMUTABLE, *hosting.CORS.values(),
                      *hosting.CORS):
            assert value in text
    assert "GitHub Pages cannot set headers" in guide
