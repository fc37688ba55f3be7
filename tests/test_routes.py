"""Routes: every page's URL and source file, and every published file's path, from one place."""
from __future__ import annotations

import pytest

from generator.outputs import routes


def test_every_page_is_written_as_index_md_in_the_folder_of_its_url():
    assert routes.page_source("ja", routes.current_url("ja")) == "index.md"
    assert routes.page_source("en", routes.archive_url("en")) == "versions/index.md"
    assert routes.page_source("en", routes.version_url("en", "2018-07-06")) == \
        "versions/2018-07-06/index.md"
    assert routes.page_source("ja", routes.changes_url("ja", "2027-04-01")) == \
        "changes/2027-04-01/index.md"
    assert routes.page_source("en", routes.compare_url("en")) == "compare/index.md"
    assert routes.page_source("en", routes.api_doc_url("en")) == "api/index.md"


def test_a_url_outside_the_language_has_no_source_file():
    with pytest.raises(ValueError, match="not a page of language 'en'"):
        routes.page_source("en", routes.version_url("ja", "2018-07-06"))


def test_relative_links_climb_out_of_the_page_folder_and_keep_the_trailing_slash():
    assert routes.relative("ja/versions/2018-07-06/", "ja/changes/2027-04-01/") == \
        "../../changes/2027-04-01/"
    assert routes.relative("ja/", "ja/") == "./"
    assert routes.relative("ja/feed.xml", "ja/versions/") == "versions/"
    assert routes.relative(routes.API_INDEX, routes.version_url("en", "x")) == \
        "../../en/versions/x/"


def test_links_are_absolute_only_when_the_site_has_an_address():
    target = routes.document_path("2018-07-06", "en")
    assert routes.link("https://example.org/privacy/", routes.API_INDEX, target) == \
        "https://example.org/privacy/api/v1/versions/2018-07-06/en.json"
    assert routes.link(None, routes.API_INDEX, target) == "versions/2018-07-06/en.json"


def test_a_revision_sits_beside_its_version_document_so_one_relative_schema_serves_both():
    document = routes.document_path("2018-07-06", "ja")
    revision = routes.revision_path("2018-07-06", "ja", "ab" * 32)
    assert document.rsplit("/", 1)[0] == revision.rsplit("/", 1)[0]


def test_api_patterns_fill_in_to_the_paths_routes_give():
    patterns = routes.api_paths()
    assert patterns["document"].format(id="v1", lang="en") == routes.document_path("v1", "en")
    assert patterns["feed"].format(lang="ja") == routes.feed_path("ja")
    assert patterns["index"] == routes.API_INDEX
