"""The site's pages as Markdown text: a pure function of the policy, the date and the catalogs.

Section text is rendered to HTML here, by the safe Markdown subset, and embedded as HTML
blocks; headings stay Markdown so the site engine builds its table of contents from them.
Nothing here knows which site engine turns the pages into HTML.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from babel.support import NullTranslations
from jinja2 import Environment
from markupsafe import Markup

from generator.checks import translations
from generator.core import diff, i18n
from generator.core.documents import Document
from generator.core.facts import Facts, Labels
from generator.core.i18n import N_
from generator.core.languages import direction
from generator.core.model import Policy, Section, Timeline, Version, shared_languages
from generator.outputs import contract, redline, routes
from generator.outputs.routes import (
    api_doc_url,
    archive_url,
    before_correction_url,
    changes_url,
    compare_url,
    correction_url,
    current_url,
    relative,
    version_url,
)
from generator.outputs.templates import environment
from generator.record.lock import Entry
from generator.runtime.content import Deferred

if TYPE_CHECKING:

    from generator.outputs.api import CorrectedText


@dataclass(frozen=True, slots=True)
class Alternate:
    """The same page in another language."""

    language: str
    name: str  # the language's name in that language, as a switcher shows it
    url: str  # from the site root


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a page tells the engine beside its text; each engine writes it as its own front
    matter and its theme overrides show it."""

    title: str
    alternates: tuple[Alternate, ...]  # every language, this page's own included
    feed_title: str
    feed_url: str  # from the site root
    scripts: tuple[str, ...] = ()  # from the site root
    # In the reader's search index: the policy in force, an upcoming version, the archive
    # and the API page. Older versions and redlines are reached through the archive, so the
    # index does not repeat a sentence per version nor grow with the history.
    searchable: bool = False
    nav_title: str = ""  # the label in the navigation, where it is not the title
    # The browser tab's and search engines' title, naming the company ("Privacy Policy -
    # ISAO Corporation"), and the page's description for search results.
    document_title: str = ""
    description: str = ""
    pdf_url: str = ""  # from the site root: the PDF of the version the page shows, if any
    # What a search result from this page says it is (the policy in force; a version not yet
    # in force), and how it ranks against the others: the text in force first.
    search_label: str = ""
    search_boost: float = 1.0


# A search result from the text in force outranks the same sentence in the upcoming version.
SEARCH_BOOST_IN_FORCE = 2.0
SEARCH_BOOST_UPCOMING = 0.5


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # Markdown path inside the language's docs, e.g. "versions/2018-07-06/index.md"
    url: str  # the page's URL from the site root, e.g. "ja/versions/2018-07-06/"
    meta: PageMeta
    # Markdown, without front matter; or, for a page an earlier build made of the same inputs
    # (Memo), its UTF-8 bytes kept in the build's cache, read only by an engine that renders it.
    body: str | Deferred
    # Of the body's UTF-8 bytes: an engine compares it with its records. No default: a page
    # without it would be taken for unchanged whatever its body.
    sha256: str
    in_nav: bool = False

    @property
    def title(self) -> str:
        return self.meta.title

    def text(self) -> str:
        """The Markdown body, read from the cache where it was kept."""
        return self.body if isinstance(self.body, str) else self.body.read().decode("utf-8")


@dataclass(frozen=True)
class Memo:
    """Pages kept from an earlier build, by everything their text is made of. Most pages of a
    long history are each a version's or a redline's, and change only when that version's
    source (or a neighbour's, or what the lock records of it) changes; they are rendered
    again only then. Every other page (the navigation's) is rendered on every build."""

    policy: str  # the key of the policy file's bytes
    versions: Mapping[str, str]  # version id -> the key of its source file's bytes
    lock: str  # the key of the lock file's bytes: what it records of every version
    # (the inputs as text, how to render the body) -> the body or the kept one, its SHA-256
    keep: Callable[[str, Callable[[], str]], tuple[str | Deferred, str]]


@dataclass(frozen=True, slots=True)
class LanguageSite:
    language: str
    site_name: str
    pages: tuple[Page, ...]
    # A build that shows drafts: every page carries this banner and is kept out of search
    # engines, so a preview is never mistaken for (or indexed as) the published policy.
    preview: str = ""
    # The heading of the engine's own 404 page (site_overrides/shared/404.html).
    not_found: str = ""
    brand: Brand | None = None


@dataclass(frozen=True, slots=True)
class Brand:
    """Whose policy it is, as the theme's header, footer and 404 page show it: texts of the
    source and the catalogs, which the engines hand to the theme's overrides."""

    company: str  # "" where no version in this language states one
    document_title: str  # the tab's title of a page without its own (404, search)
    contact: str  # the contact desk's e-mail address or form, "" where none is stated
    updated: str  # the effective date of the version in force, formatted; "" if none
    words: Mapping[str, str]  # the footer's and 404's labels in the page's language


# The footer's and the 404 page's labels, translated by the catalogs.
BRAND_WORDS = {
    "archive": N_("Version archive"), "current": N_("The policy in force"),
    "feed": N_("Feed of new versions (Atom)"), "languages": N_("Languages"),
    "contact": N_("Contact"), "updated": N_("Last updated: %(date)s"),
    "pdf": N_("PDF"),
}


# --- pages -----------------------------------------------------------------------------------

# A version's id -> its recorded corrections that changed a text, with the texts before and
# after each, read from the published bytes (api.corrected_texts).
Corrected = Callable[[str], "tuple[CorrectedText, ...]"]


def plan_site(policy: Policy, timeline: Timeline, documents: dict[tuple[str, str], Document],
              changes: Mapping[tuple[str, str], diff.VersionDiff],
              catalogs: i18n.Catalogs, corrected: Corrected = lambda version: (),
              records: Mapping[str, Entry] = {},
              pdfs: Mapping[tuple[str, str], object] | None = None,
              memo: Memo | None = None,
              each: Callable[[Callable[[str], LanguageSite], tuple[str, ...]],
                             list[LanguageSite]] = lambda make, languages: list(
                                 map(make, languages)),
              section_numbers: bool = False) -> tuple[LanguageSite, ...]:
    """Every page of every language. `documents` and `changes` are keyed by (version id,
    language); `corrected` gives each version's corrections with the texts they replaced;
    `records` what the lock records of each version (its announcement, added languages);
    `pdfs` the versions' PDFs (each with its `path` from the site root and `size`); `memo`
    the pages an earlier build made of the same inputs; `each` makes each language's pages
    (the build makes them in parallel)."""
    same = _Same()
    shared: dict[str, tuple | None] = {}  # each version's inputs that no language changes
    environment(catalogs[policy.info.languages[0]], policy.info.languages[0]).get_template(
        "version.md.j2")  # compiled once here, not again in each of `each`'s processes

    def make(language: str) -> LanguageSite:
        return _language_site(policy, timeline, documents, changes, catalogs[language],
                              corrected, language, records, pdfs or {}, same, memo, shared,
                              section_numbers)

    return tuple(each(make, policy.info.languages))


def _language_site(policy: Policy, timeline: Timeline,
                   documents: dict[tuple[str, str], Document],
                   changes: Mapping[tuple[str, str], diff.VersionDiff],
                   catalog: NullTranslations, corrected: Corrected, language: str,
                   records: Mapping[str, Entry] = {}, pdfs: Mapping | None = None,
                   same: _Same | None = None, memo: Memo | None = None,
                   shared: dict[str, tuple | None] | None = None,
                   section_numbers: bool = False) -> LanguageSite:
    env = environment(catalog, language)
    gettext = catalog.gettext
    common = _common_context(policy, timeline, documents, corrected, pdfs or {}, language,
                             env, same or _Same())
    common["announced"] = lambda version: getattr(records.get(version.id), "announced", None)
    common["added_on"] = lambda version: getattr(records.get(version.id), "added", {}
                                                 ).get(language)
    common["section_numbers"] = section_numbers
    feed = gettext("%(title)s: versions") % {"title": policy.info.title[language]}
    inputs = _Inputs(memo, timeline, pdfs or {}, corrected, language,
                     i18n.digest(catalog), {} if shared is None else shared,
                     section_numbers) if memo else None
    brand = _brand(policy, timeline, language, gettext)
    pages = tuple(_render(env, common, plan, language, policy.info.languages, feed, inputs,
                          _Told(brand, gettext, pdfs or {}))
                  for plan in _plans(policy, timeline, changes, corrected, language, gettext))
    return LanguageSite(language, policy.info.title[language], pages,
                        gettext(PREVIEW) if is_preview(timeline) else "",
                        gettext(NOT_FOUND), brand)


def company_version(timeline: Timeline, language: str) -> Version | None:
    """The version whose facts name the company: the one in force, else the latest that is
    written in `language` (a policy with no version in force yet still names its author)."""
    current = timeline.current
    if current is not None and language in current.languages():
        return current
    written = [version for version in timeline.versions if language in version.languages()]
    return written[-1] if written else None


def titled(page_title: str, company: str, gettext) -> str:
    """The tab's title: the page's, then the company's, as the language joins them."""
    return gettext("%(page)s - %(company)s") % {"page": page_title, "company": company} \
        if company else page_title


def _brand(policy: Policy, timeline: Timeline, language: str, gettext) -> Brand:
    named = company_version(timeline, language)
    company = named.facts.company[language] if named is not None else ""
    desk = named.facts.inquiry_desk if named is not None else None
    contact = (desk.email or desk.form or "") if desk is not None else ""
    current = timeline.current
    updated = i18n.format_date(current.effective_date, language) if current else ""
    return Brand(company, titled(policy.info.title[language], company, gettext), contact,
                 updated, {key: gettext(word) % {"date": updated} if key == "updated"
                           else gettext(word) for key, word in BRAND_WORDS.items()})


@dataclass(frozen=True, slots=True)
class _Told:
    """What a page's metadata tells beside its text: whose policy, in which words."""

    brand: Brand
    gettext: Callable[[str], str]
    pdfs: Mapping

    def of(self, plan: _Plan, language: str) -> tuple[str, str, str]:
        """The page's tab title, its description (its version's summary, else its title)
        and the URL of its version's PDF."""
        context = plan.context if isinstance(plan.context, dict) else {}
        version = context.get("version") if plan.template in ("current.md.j2",
                                                              "version.md.j2") else None
        title = titled(plan.title, self.brand.company, self.gettext)
        summary = version.summary[language] if version is not None and version.summary \
            and language in version.languages() else ""
        made = self.pdfs.get((version.id, language)) if version is not None else None
        return title, summary or title, made.path if made else ""


@dataclass(frozen=True)
class _Plan:
    """A page to render: its template, its URL in any language, and what it shows."""

    template: str
    url_of: Callable[[str], str]  # language -> the page's URL from the site root
    title: str
    in_nav: bool = False
    searchable: bool = False
    scripts: tuple[str, ...] = ()  # inside the language's assets folder
    # What the template shows beside the common context; a function where making it costs
    # (a redline's reads the diff), called only if the page is rendered, not kept.
    context: dict | Callable[[], dict] = field(default_factory=dict)
    nav_title: str = ""
    search_label: str = ""
    search_boost: float = 1.0
    # The languages the page exists in, where not every language of the policy: a version
    # locked before a language was added has no page in that language.
    languages: tuple[str, ...] | None = None
    # The version this page is about, and the one before it for a redline: a page of either
    # kind is kept from an earlier build made of the same inputs (see _Inputs). None: the
    # page is made on every build.
    about: Version | None = None
    since: Version | None = None


def _version_search(version: Version, timeline: Timeline, language: str,
                    gettext) -> tuple[str, float]:
    """A version page's search label and boost: an upcoming version's results are marked as
    not yet in force, and rank after the text in force (other versions are not indexed)."""
    if version not in timeline.upcoming:
        return "", 1.0
    label = gettext("Version of %(date)s: announced, not yet in force") % {
        "date": i18n.format_date(version.effective_date, language)}
    return label, SEARCH_BOOST_UPCOMING


def _redline_context(old: Version, new: Version,
                     changes: Mapping[tuple[str, str], diff.VersionDiff], language: str,
                     gettext) -> dict:
    # The diff is looked up only when the page is rendered: a kept page never reads it.
    return redline.context(old, new, changes[new.id, language], gettext)


def _plans(policy: Policy, timeline: Timeline,
           changes: Mapping[tuple[str, str], diff.VersionDiff], corrected: Corrected,
           language: str, gettext) -> list[_Plan]:
    """Every page of one language, in the order of the navigation."""
    info = policy.info
    current = timeline.current
    # The page in force is headed with the title its version goes by (its own, else the
    # policy's); the site keeps the policy's name.
    title = (current.policy_title(policy.info) if current is not None and
             language in current.languages() else policy.info.title)[language]
    # The site is named after the policy: in the navigation, the page in force is named for
    # what it is to the reader, or the policy's title would show twice.
    plans = [_Plan("current.md.j2", current_url, title, True, True,
                   context={"version": timeline.current},
                   nav_title=gettext("The policy in force"),
                   search_label=gettext("The policy in force") if current is not None else "",
                   search_boost=SEARCH_BOOST_IN_FORCE),
             _Plan("archive.md.j2", archive_url, gettext("Version archive"), True, True)]
    if routes.has_compare(timeline):
        plans.append(_Plan("compare.md.j2", compare_url, gettext("Compare versions"), True,
                           scripts=("javascripts/compare.js",),
                           context={"strings": _compare_strings(gettext, policy),
                                    "rules": _compare_rules(policy)}))
    plans.append(_Plan("api.md.j2", api_doc_url, gettext("API for apps"), True, True,
                       context={"contract": _API_TABLES}))
    written = [version for version in timeline.versions if language in version.languages()]
    for version in written:
        search_label, search_boost = _version_search(version, timeline, language, gettext)
        plans.append(_Plan(
            "version.md.j2", partial(version_url, version_id=version.id),
            gettext("%(title)s, effective %(date)s") % {
                "title": version.policy_title(info)[language],
                "date": i18n.format_date(version.effective_date, language)},
            searchable=version in timeline.upcoming, context={"version": version},
            languages=version.languages(), about=version,
            search_label=search_label, search_boost=search_boost))
    for version in written:
        previous = timeline.previous(version)
        if previous is not None and routes.has_changes(timeline, version, language):
            plans.append(_Plan(
                "redline.md.j2", partial(changes_url, version_id=version.id),
                _redline_title(version, language, gettext),
                context=partial(_redline_context, previous, version, changes, language,
                                gettext),
                languages=shared_languages(previous, version), about=version,
                since=previous))
    for version in timeline.versions:
        plans += _correction_plans(policy, version, corrected(version.id), language, gettext)
    return plans


def _correction_plans(policy: Policy, version: Version, texts: tuple[CorrectedText, ...],
                      language: str, gettext) -> list[_Plan]:
    """For each correction that changed this language's text: the text as it stood before,
    and the redline of what the correction changed. Both exist only in the languages whose
    text the correction changed."""
    plans = []
    for text in texts:
        if language not in text.replaced:
            continue
        correction = version.corrections[text.number - 1]
        about = dict(version=version, number=text.number, correction=correction,
                     sha256=text.replaced[language])
        names = {"number": text.number,
                 "date": i18n.format_date(version.effective_date, language)}
        plans.append(_Plan(
            "before_correction.md.j2",
            partial(before_correction_url, version_id=version.id, number=text.number),
            gettext("Version of %(date)s, before correction %(number)s") % names,
            context={**about, "before": text.before}, languages=tuple(text.replaced)))
        change = translations.changes(policy, text.before, text.after, language)
        plans.append(_Plan(
            "correction.md.j2",
            partial(correction_url, version_id=version.id, number=text.number),
            gettext("Correction %(number)s of the version of %(date)s") % names,
            context={**redline.context(text.before, text.after, change, gettext),
                     **about, "summary": None}, languages=tuple(text.replaced)))
    return plans


def _render(env: Environment, common: dict, plan: _Plan, language: str,
            languages: tuple[str, ...], feed_title: str, inputs: _Inputs | None = None,
            told: _Told | None = None) -> Page:
    url = plan.url_of(language)

    def render() -> str:
        return env.get_template(plan.template).render(
            common, page_url=url, link=lambda target: relative(url, target),
            page_title=plan.title,
            **(plan.context() if callable(plan.context) else plan.context))

    described = inputs.of(plan) if inputs is not None and plan.about is not None else None
    if described is None:
        body = render()
        made: tuple[str | Deferred, str] = (body, _sha256(body))
    else:
        made = inputs.memo.keep(described, render)  # type: ignore[union-attr]
    meta = PageMeta(plan.title, tuple(Alternate(code, i18n.language_name(code),
                                                plan.url_of(code))
                                      for code in plan.languages or languages),
                    feed_title, routes.feed_path(language),
                    tuple(routes.asset_url(language, script) for script in plan.scripts),
                    plan.searchable, plan.nav_title,
                    *(told.of(plan, language) if told else (plan.title, plan.title, "")),
                    plan.search_label, plan.search_boost)
    return Page(routes.page_source(language, url), url, meta, made[0], made[1], plan.in_nav)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Inputs:
    """Everything a version's page or a redline is made of, as text: equal text, equal page.
    A version's page shows the version (and, through its source, its document, sections and
    facts), its place in the timeline (its state; the versions before and after it, which
    end it and link it to their redlines; whether one is in force), what the lock records of
    it (by the whole lock, which changes rarely), its PDF and its corrections; a redline
    shows the two versions it compares. Both also depend on the language, its catalog and
    the policy file, and every key on policygen's own code (the templates included), which
    the cache's keys cover."""

    memo: Memo
    timeline: Timeline
    pdfs: Mapping
    corrected: Corrected
    language: str
    catalog: str  # the digest of the language's catalog
    shared: dict[str, tuple | None]  # version id -> its page's inputs alike in every
    # language
    section_numbers: bool = False

    def of(self, plan: _Plan) -> str | None:
        """The page's inputs as text, or None where a version's source is not known (the
        page is then rendered)."""
        about = plan.about
        assert about is not None
        if plan.since is not None:
            shown: tuple | None = self._sources(plan.since, about)
        else:
            made = self.pdfs.get((about.id, self.language))
            shown = self._version(about)
            shown = shown and (shown, (made.path, made.size) if made else None)
        if shown is None:
            return None
        # A version's page lists every version (its switcher): their ids, dates and states.
        line = tuple((version.id, version.effective_date, self.timeline.state(version))
                     for version in self.timeline.versions)
        return repr((plan.template, self.language, self.catalog, self.memo.policy, shown,
                     line, self.section_numbers))

    def _version(self, version: Version) -> tuple | None:
        if version.id not in self.shared:
            line = self.timeline
            sources = self._sources(version, line.previous(version), line.next(version))
            self.shared[version.id] = sources and (
                *sources, line.state(version), line.current.id if line.current else None,
                self.memo.lock, tuple((text.number, tuple(sorted(text.replaced.items())))
                                      for text in self.corrected(version.id)))
        return self.shared[version.id]

    def _sources(self, *versions: Version | None) -> tuple | None:
        """The key of each version's source (None for no version); None if one is unknown."""
        keys = tuple(None if version is None else self.memo.versions.get(version.id)
                     for version in versions)
        unknown = any(key is None and version is not None
                      for key, version in zip(keys, versions, strict=True))
        return None if unknown else keys


def _common_context(policy: Policy, timeline: Timeline,
                    documents: dict[tuple[str, str], Document], corrected: Corrected,
                    pdfs: Mapping, language: str, env: Environment, same: _Same) -> dict:
    """What every template of one language may use: the model and the routes."""
    common = dict(policy=policy, info=policy.info, timeline=timeline, lang=language,
                  languages=policy.info.languages, version_url=version_url,
                  current_url=current_url, archive_url=archive_url, changes_url=changes_url,
                  compare_url=compare_url, api_doc_url=api_doc_url, api=routes.api_paths(),
                  before_correction_url=before_correction_url, correction_url=correction_url,
                  document=lambda version: documents[version.id, language],
                  corrections=lambda version: _corrections(version, corrected(version.id),
                                                           language),
                  end_of=lambda version: end_of(version, timeline),
                  # A version locked before this language was added has no page in it.
                  written=lambda version: language in version.languages(),
                  written_versions=[version for version in timeline.versions
                                    if language in version.languages()],
                  has_changes=lambda version: routes.has_changes(timeline, version, language),
                  original_url=lambda version: version_url(
                      policy.info.authoritative_language, version.id),
                  pdf=lambda version: pdfs.get((version.id, language)),
                  file_size=lambda size: i18n.file_size(size, language))
    common["section_markdown"] = _section_renderer(env, common, same)
    return common


class _Same:
    """Equal values told by identity: each value object is hashed once per build, not at
    each of the 16,000 look-ups of the sections' Markdown at 50x10 (a section's hash walks
    all its texts in every language)."""

    def __init__(self) -> None:
        self.first: dict[object, object] = {}  # each distinct value, by the first equal one
        self.known: dict[int, tuple[object, int]] = {}  # id -> (the value, kept alive; its
        # first equal value's id)

    def __call__(self, value: object) -> int | None:
        if value is None:
            return None
        found = self.known.get(id(value))
        if found is None:
            found = self.known[id(value)] = (value, id(self.first.setdefault(value, value)))
        return found[1]


def _section_renderer(env: Environment, common: dict, same: _Same
                      ) -> Callable[[Version, Section], Markup]:
    template = env.get_template("section.md.j2")
    rendered: dict[tuple, Markup] = {}

    def section_markdown(version: Version, section: Section, cite: str = "",
                         number: int | None = None) -> Markup:
        """A section's Markdown, rendered once for every version that states it alike: a
        section shows its text and, in its blocks, the version's labels, facts and date;
        its link cites `cite` (the version's page, from the page showing it), and a
        top-level section is headed with its `number` where the policy numbers them."""
        key = (same(section), cite, number,
               same(version.labels) if section.block or section.categories else None,
               same(version.facts) if section.block else None,
               version.effective_date if section.block == "signature" else None)
        if key not in rendered:
            rendered[key] = Markup(template.render(common, version=version, section=section,
                                                   cite=cite, number=number))
        return rendered[key]

    return section_markdown


# The API page's tables of members, from the API's typed definition.
_API_TABLES = {"index": contract.members(contract.Index),
               "current": contract.members(contract.Current)}


def _corrections(version: Version, texts: tuple[CorrectedText, ...], language: str
                 ) -> list[tuple[int, object, str | None]]:
    """Each correction of a version: its number, the correction, and the sha256 of the text
    it replaced in `language`, or None where it left that text as it was."""
    replaced = {text.number: text.replaced.get(language) for text in texts}
    return [(number, correction, replaced.get(number))
            for number, correction in enumerate(version.corrections, 1)]


def _unstated(policy: Policy) -> Callable[[str], bool]:
    """Whether a field path ("officer.name", "labels.email") belongs to a fact or a label no
    version of the policy states: the compare page, which names fields, names none of those."""
    def stated(version: Version, path: list[str]) -> bool:
        value: object = version
        for name in path:
            value = getattr(value, name, None)
        return value is not None

    absent = {f"labels.{name}" if kind is Labels else name for kind, head in
              ((Facts, ["facts"]), (Labels, ["labels"]))
              for name in (f.name for f in dataclasses.fields(kind))
              if not any(stated(version, [*head, name]) for version in policy.versions)}
    return lambda path: path in absent or path.split(".")[0] in absent


def _compare_rules(policy: Policy) -> dict:
    rules = diff.browser_rules()
    unstated = _unstated(policy)
    return {**rules, "fieldOrder": {key: [path for path in paths if not unstated(path)]
                                    for key, paths in rules["fieldOrder"].items()}}


def _compare_strings(gettext, policy: Policy) -> dict[str, object]:
    """What the in-browser compare shows, in the page's language: the same words as the
    redline pages, since both present the same diff model (for the facts the policy
    states)."""
    unstated = _unstated(policy)
    return {
        "fields": {key: gettext(name) for key, name in diff.FIELD_NAMES.items()
                   if not unstated(key)},
        "label": gettext("Wording of the label '%(name)s'"),
        "categoryField": gettext("%(field)s of category '%(category)s'"),
        "added": gettext("added"), "removed": gettext("removed"),
        "moved": gettext("moved from position %(old)s to %(new)s"),
        "retitled": gettext("retitled from “%(old)s”"),
        "wording": gettext("wording changed"), "whitespace": gettext("whitespace only"),
        "formatting": gettext("formatting only"), "none": gettext("(none)"),
        "link": gettext("Link “%(text)s”"), "linkChanged": gettext("link changed"),
        "untranslated": gettext("translation not updated"),
        "unchanged": gettext("No changes."), "facts": gettext("Changed facts"),
        "field": gettext("Field"), "before": gettext("Before"), "after": gettext("After"),
        "deleted": gettext("[deleted:]"), "endDeleted": gettext("[end deleted]"),
        "inserted": gettext("[inserted:]"), "endInserted": gettext("[end inserted]"),
        "same": gettext("Choose two different versions."),
        "failed": gettext("The versions could not be loaded. Please reload the page."),
        "heading": gettext("Changes from %(old)s to %(new)s"),
        "swapped": gettext("The earlier version was chosen as the later one: the two are "
                           "swapped, and the summary shown is the later version's."),
        "legend": gettext("Deleted text is struck through and inserted text is underlined."),
        "deletedWord": gettext("deleted"), "insertedWord": gettext("inserted"),
        "processing": gettext("What changed in the processing"),
    }


def _redline_title(version: Version, language: str, gettext) -> str:
    return gettext("Changes in the version of %(date)s") % {
        "date": i18n.format_date(version.effective_date, language)}


PREVIEW = N_("Preview including drafts: this is not the published policy. Do not publish "
             "this build.")
NOT_FOUND = N_("404 - Not found")


def is_preview(timeline: Timeline) -> bool:
    return any(version.status == "draft" for version in timeline.versions)


def root_index(policy: Policy, catalogs: i18n.Catalogs, preview: bool = False) -> str:
    """The site root: sends a reader to their language, else to the authoritative one."""
    languages, authoritative = policy.info.languages, policy.info.authoritative_language
    env = environment(catalogs[authoritative], authoritative)
    gettext = catalogs[authoritative].gettext
    return env.get_template("root.html.j2").render(
        info=policy.info, preview=gettext(PREVIEW) if preview else "",
        choices=[(code, i18n.language_name(code), current_url(code), policy.info.title[code])
                 for code in languages])


def root_not_found(policy: Policy, timeline: Timeline, catalogs: i18n.Catalogs,
                   site_url: str | None, preview: bool = False) -> str:
    """The site's own 404 page: in every language, the way to its policy in force and its
    archive. A server shows it at any depth, so its links are absolute where the site's
    address is known, else from the site's root (right for a missing page there)."""
    def address(url: str) -> str:
        return routes.link(site_url, routes.ROOT_NOT_FOUND, url)

    choices = []
    for code in policy.info.languages:
        gettext = catalogs[code].gettext
        named = company_version(timeline, code)
        words = {key: gettext(word) for key, word in BRAND_WORDS.items()}
        choices.append({
            "lang": code, "dir": direction(code), "heading": gettext(NOT_FOUND),
            "title": titled(policy.info.title[code],
                            named.facts.company[code] if named else "", gettext),
            "current": (address(current_url(code)), words["current"]),
            "archive": (address(archive_url(code)), words["archive"])})
    authoritative = policy.info.authoritative_language
    gettext = catalogs[authoritative].gettext
    return environment(catalogs[authoritative], authoritative).get_template(
        "root_404.html.j2").render(lang=authoritative, choices=choices, preview=gettext(
            PREVIEW) if preview else "")


def homes(policy: Policy) -> tuple[Alternate, ...]:
    """Every language's home page, named in its own language."""
    return tuple(Alternate(code, i18n.language_name(code), current_url(code))
                 for code in policy.info.languages)


def end_of(version: Version, timeline: Timeline) -> dt.date | None:
    following = timeline.next(version)
    return following.effective_date - dt.timedelta(days=1) if following else None
