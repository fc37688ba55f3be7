"""Sitemaps that tell search engines which page is which page in another language.

hreflang alternates live here rather than in each page's <head>: search engines need them
absolute (so only with a site_url), and Material reads every <link rel="alternate"> in a
page as a language root and fetches a sitemap beside it, which per-page links would send to
URLs that do not exist.
"""
from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET

from generator.outputs.pages import LanguageSite
from generator.outputs.routes import SITEMAP_INDEX, sitemap_path

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def sitemaps(sites: tuple[LanguageSite, ...], site_url: str | None) -> dict[str, bytes]:
    """{lang}/sitemap.xml(.gz) per language and a sitemap index at the root; nothing
    without a site_url, where the engine's empty sitemaps stay."""
    if not site_url:
        return {}
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    files: dict[str, bytes] = {}
    index = ET.Element(f"{{{SITEMAP}}}sitemapindex")
    for site in sites:
        urlset = ET.Element(f"{{{SITEMAP}}}urlset")
        for page in site.pages:
            entry = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
            ET.SubElement(entry, f"{{{SITEMAP}}}loc").text = site_url + page.url
            for alternate in page.meta.alternates:
                ET.SubElement(entry, f"{{{XHTML}}}link", {
                    "rel": "alternate", "hreflang": alternate.language,
                    "href": site_url + alternate.url})
        content = _xml(urlset)
        files[sitemap_path(site.language)] = content
        files[sitemap_path(site.language, compressed=True)] = gzip.compress(content, mtime=0)
        ET.SubElement(ET.SubElement(index, f"{{{SITEMAP}}}sitemap"),
                      f"{{{SITEMAP}}}loc").text = site_url + sitemap_path(site.language)
    files[SITEMAP_INDEX] = _xml(index)
    return files


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
