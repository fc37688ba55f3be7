"""Turn source nodes into the model, collecting every problem instead of stopping at one.

The conversion is driven by the model's dataclass fields and their metadata, so adding a field
to the model is all it takes to accept, check and document it.
"""
from __future__ import annotations

import calendar
import collections
import contextlib
import dataclasses
import datetime as dt
import difflib
import functools
import gc
import itertools
import os
import re
import types
import typing
import zoneinfo
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.core import languages, markup, processing
from generator.core.countries import COUNTRIES, NOT_COUNTRIES
from generator.core.diagnostics import Diagnostic, PolicyError, Severity
from generator.core.facts import EMAIL_PATTERN, PHONE_PATTERN, WEB_PATTERN, needed_fact
from generator.core.model import SLUG_LIMIT, SLUG_PATTERN, Localized, Policy, PolicyInfo, Version
from generator.runtime.bounded import Unreadable, read_bounded
from generator.runtime.cache import Cache
from generator.runtime.cache import key as cache_key
from generator.runtime.workers import pool as worker_pool
from generator.source import links
from generator.source.names import misnamed_versions
from generator.source.read import MAX_FILE_BYTES, Node, display_path, read_file
from generator.source.slug import windows_reserved

POLICY_FILE = "policy.yaml"
VERSIONS_DIR = "versions"
RESERVED_VERSION_IDS = frozenset({"index"})
# Anchors the pages use themselves: a section id is an anchor on the same pages.
RESERVED_SECTION_IDS = frozenset({"changed-facts", "comparison"})
RESERVED_SECTION_PREFIX = "pg-"
_INVALID = object()
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_KIND_RULES = {
    "slug": (re.compile(SLUG_PATTERN),
             "use lowercase letters, digits and inner hyphens, e.g. 2018-07-06"),
    "email": (re.compile(EMAIL_PATTERN), "write an address such as privacy@example.com"),
    "phone": (re.compile(PHONE_PATTERN),
              "write digits with optional spaces, hyphens or a leading +"),
    "web": (re.compile(WEB_PATTERN), "write a web address such as "
            "https://www.example.com/privacy/request"),
    "duration": (re.compile(processing.DURATION_PATTERN),
                 "write an ISO 8601 duration: P30D for 30 days, P6M for 6 months, P1Y for a "
                 "year, P1Y6M; or state the rule in words under 'rule:' instead"),
    "dpv": (re.compile(processing.DPV_PATTERN),
            "write a DPV concept as prefix:Name, e.g. pd:EmailAddress or dpv:ServiceProvision"),
}
# Version files are read in parallel from this many files on: below, starting the worker
# processes costs more than it saves.
PARALLEL_FROM = 16


class _Converter:
    """Converts nodes to model values; problems are collected, not raised."""

    def __init__(self, languages: tuple[str, ...] = (), defer_missing: bool = False,
                 link_base: str | None = None):
        self.languages = languages
        self.link_base = link_base  # what relative links resolve against, if anything
        self.problems: list[Diagnostic] = []
        # In a version file, a missing translation is judged once the whole file is read:
        # a published version may lack, in every text, a language added to the policy later.
        self.missing: list[tuple[Node, str, str]] | None = [] if defer_missing else None
        self.localized_read = 0
        # A draft's text may lack a translation: the authoritative text stands in for it.
        self.stand_in = ""
        # links to '#id', checked against the version's sections once all are known
        self.anchors: list[tuple[Node, str, str]] = []

    def fail(self, node: Node, message: str, hint: str = "") -> object:
        self.problems.append(node.error(message, hint))
        return _INVALID

    def errors(self) -> int:
        return sum(not problem.is_warning for problem in self.problems)

    def warn(self, node: Node, message: str, hint: str = "") -> None:
        """Note what is valid but probably not meant; it fails nothing without --strict."""
        self.problems.append(node.error(message, hint).as_warning())

    def dataclass(self, node: Node, cls: type, what: str) -> object:
        if node.kind != "map":
            return self.fail(node, f"{what} must be a mapping of fields",
                             "write its fields as 'name: value' lines, indented under it")
        hints, fields = _shape(cls)
        items = node.items
        if not items and fields and all(spec.default is not dataclasses.MISSING
                                        for spec in fields.values()):
            # Every field optional and none given: it states nothing, and would publish an
            # empty member.
            return self.fail(node, f"{what} is empty", "write its fields, or remove it: "
                             "valid keys: " + ", ".join(fields))
        values: dict[str, object] = {}
        for name, (key, value) in items.items():
            if name not in fields:
                close = difflib.get_close_matches(name, fields, n=1)
                hint = f"did you mean '{close[0]}'?" if close else \
                    "valid keys: " + ", ".join(fields)
                self.fail(key, f"unknown key '{name}' in {what}", hint)
                continue
            values[name] = self.value(value, hints[name], fields[name].metadata,
                                      f"'{name}' of {what}")
        for name, spec in fields.items():
            required = spec.default is dataclasses.MISSING and \
                spec.default_factory is dataclasses.MISSING
            if required and name not in items:
                self.fail(node, f"{what} is missing the required field '{name}'",
                          spec.metadata.get("doc", ""))
        ways = getattr(cls, "ONE_OF", ())
        if ways and not any(name in items for name in ways):
            return self.fail(node, f"{what} gives no way to reach it",
                             "give at least one of " + ", ".join(ways))
        if any(v is _INVALID for v in values.values()) or \
                any(name not in values for name, spec in fields.items()
                    if spec.default is dataclasses.MISSING):
            return _INVALID
        return cls(**values)

    def value(self, node: Node, hint: object, meta: typing.Mapping, what: str) -> object:
        hint, origin, args, optional = _unwrapped(hint)
        if optional and node.kind == "scalar" and node.value is None:
            return None
        if hint is Localized:
            return self.localized(node, meta, what)
        if origin is tuple:
            return self.sequence(node, args[0], meta, what)
        if origin is typing.Literal:
            return self.choice(node, args, what)
        if dataclasses.is_dataclass(hint):
            return self.dataclass(node, hint, what)  # type: ignore[arg-type]
        if hint is dt.date:
            return self.date(node, what)
        if hint is bool:
            if isinstance(node.value, bool):
                return node.value
            return self.fail(node, f"{what} must be true or false",
                             f"write true or false, not {_shown(node)}")
        if hint is int:
            if node.kind != "scalar" or not isinstance(node.value, int) or \
                    isinstance(node.value, bool):
                return self.fail(node, f"{what} must be a whole number, not {_shown(node)}",
                                 "write it in digits")
            if node.value < meta.get("minimum", node.value):
                return self.fail(node, f"{what} must be {meta['minimum']} or more, not "
                                 f"{node.value}", f"write a number from {meta['minimum']} up")
            return self.choice(node, meta["choices"], what) if "choices" in meta else node.value
        if hint is str:
            return self.text(node, meta, what)
        raise TypeError(f"the model uses a type the loader does not know: {hint!r}")

    def text(self, node: Node, meta: typing.Mapping, what: str) -> object:
        if node.kind != "scalar" or not isinstance(node.value, str):
            return self.fail(node, f"{what} must be text, not {_shown(node)}",
                             "put the value in quotes" if node.kind == "scalar" else "")
        if not node.value.strip():
            return self.fail(node, f"{what} is empty", "write the text or remove the field")
        if "choices" in meta:
            return self.choice(node, meta["choices"], what)
        kind = meta.get("kind", "plain")
        if kind == "plain" and not node.comment:
            return node.value  # most texts: nothing more to check
        before = len(self.problems)  # only appended to: what this text adds is what follows
        if node.comment and kind in ("plain", "markdown"):
            self.problems.append(Diagnostic(
                node.file.path, node.end_line, node.comment,
                f"{what} is followed by a comment on the same line, so the text ends at "
                f"'{_ending(node.value)}'", "YAML reads everything after ' #' as a comment; put "
                "the whole text in quotes, or move the comment to a line of its own"))
        self.check_kind(node, node.value, kind, what)
        return node.value if all(found.is_warning for found in self.problems[before:]) \
            else _INVALID

    def check_kind(self, node: Node, text: str, kind: str, what: str) -> None:
        if kind == "slug" and len(text) > SLUG_LIMIT:
            self.fail(node, f"{what} is {len(text)} characters long; the limit is "
                      f"{SLUG_LIMIT}", f"shorten it to {SLUG_LIMIT} characters at most")
        elif kind in _KIND_RULES:
            pattern, hint = _KIND_RULES[kind]
            if not pattern.match(text):
                self.fail(node, f"{what} '{text}' is not a valid {kind}", hint)
            elif kind == "slug" and windows_reserved(text):
                self.fail(node, f"{what} '{text}' is a name Windows reserves for a device, "
                          "so the site's files named after it could not be checked out or "
                          "copied on Windows", "choose another id (CON, PRN, AUX, NUL, "
                          "COM0-9 and LPT0-9 are reserved)")
        elif kind == "country" and text not in COUNTRIES:
            self.fail(node, f"{what} '{text}' is not an ISO 3166-1 alpha-2 country code",
                      _country_hint(text))
        elif kind == "language":
            wrong = languages.problem(text)
            if wrong:
                self.fail(node, wrong[0] + (f" (in {what})" if what else ""), wrong[1])
        elif kind == "timezone":
            try:
                zoneinfo.ZoneInfo(text)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self.fail(node, f"{what} '{text}' is not a known time zone",
                          "use an IANA name such as Asia/Tokyo")
        elif kind == "markdown":
            self.check_markdown(node, text, what)

    def check_markdown(self, node: Node, text: str, what: str) -> None:
        for refusal in markup.refusals(text):
            self.inside(node, refusal.source, f"{refusal.problem} (in {what})", refusal.fix)
        for link in markup.links(text):
            if links.is_anchor(link):
                self.anchors.append((node, link.href.strip(), what))
            elif wrong := links.problem(link, what, self.link_base):
                self.inside(node, link.href, wrong.message, wrong.hint, wrong.severity)

    def inside(self, node: Node, needle: str, message: str, hint: str,
               severity: Severity = "error") -> None:
        """A problem at `needle` in the text of `node`, on its own line of the file."""
        line, column = node.locate(needle)
        self.problems.append(Diagnostic(node.file.path, line, column, message, hint, severity))

    def localized(self, node: Node, meta: typing.Mapping, what: str) -> object:
        wanted = ", ".join(self.languages)
        if node.kind != "map":
            return self.fail(node, f"{what} must give the text in each language ({wanted})",
                             f"write one indented line per language, e.g. "
                             f"'{self.languages[0] if self.languages else 'ja'}: ...'")
        items, texts = node.items, {}
        for code, (key, value) in items.items():
            if code not in self.languages:
                close = difflib.get_close_matches(code, self.languages, n=1)
                self.fail(key, f"'{code}' is not a language of this policy (in {what})",
                          f"did you mean '{close[0]}'?" if close else
                          f"the policy's languages are {wanted}")
                continue
            texts[code] = self.text(value, meta, f"the '{code}' text of {what}")
        missing = [code for code in self.languages if code not in items]
        self.localized_read += 1
        if self.stand_in in texts and _INVALID not in texts.values():
            # Checked by lint (a warning) and by lock (refused), at this place.
            absent = tuple(missing)
            texts.update((code, texts[self.stand_in]) for code in absent)
            missing = []
        else:
            absent = ()
        if self.missing is not None:
            self.missing += [(node, what, code) for code in missing]
        else:
            for code in missing:
                self._fail_missing(node, what, code)
        if (missing and self.missing is None) or _INVALID in texts.values():
            return _INVALID
        return Localized(tuple((code, texts[code]) for code in self.languages  # type: ignore
                               if code in texts), absent)

    def _fail_missing(self, node: Node, what: str, code: str, published: bool = False) -> None:
        if published:  # what `policygen lock` refuses: a draft may lack it, a publication not
            self.fail(node, f"{what} has no '{code}' translation: a published version is "
                      f"complete in every language it is published in",
                      f"add a line '{code}: ...' with the translated text, or keep the "
                      "version a draft (status: draft) until it is translated")
        else:
            self.fail(node, f"{what} has no '{code}' translation",
                      f"add a line '{code}: ...' with the translated text")

    def judge_missing(self, published: bool, authoritative: str) -> None:
        """Report every text of the version missing a translation, except a language that a
        published version gives in none of its texts: whether its lock allows that is the
        lock check's to say. The authoritative text is required everywhere."""
        found = self.missing or []
        counts = collections.Counter(code for _, _, code in found)
        absent = {code for code, count in counts.items()
                  if published and count == self.localized_read and code != authoritative}
        for node, what, code in found:
            if code not in absent:
                self._fail_missing(node, what, code, published and code != authoritative)

    def sequence(self, node: Node, item: object, meta: typing.Mapping, what: str) -> object:
        if node.kind != "seq":
            return self.fail(node, f"{what} must be a list", "write each item on a line "
                             "starting with '- '")
        if not node.value:
            return self.fail(node, f"{what} is an empty list", "add an item or remove the field")
        name = what.split("'")[1] if "'" in what else what
        items = [self.value(child, item, meta, _item_name(child, i, name))
                 for i, child in enumerate(node.elements, 1)]
        return _INVALID if _INVALID in items else tuple(items)

    def choice(self, node: Node, choices: tuple, what: str) -> object:
        if node.kind == "scalar" and node.value in choices and \
                type(node.value) is type(choices[0]):
            return node.value
        names = [str(c) for c in choices]
        allowed = " or ".join(names) if len(names) < 3 else \
            ", ".join(names[:-1]) + " or " + names[-1]
        close = difflib.get_close_matches(str(node.value), [str(c) for c in choices], n=1)
        return self.fail(node, f"{what} must be {allowed}, not {_shown(node)}",
                         f"did you mean '{close[0]}'?" if close else "")

    def date(self, node: Node, what: str) -> object:
        text = str(node.value) if node.kind == "scalar" else ""
        match = _DATE.match(text)
        if not match:
            return self.fail(node, f"{what} must be a date written YYYY-MM-DD, not "
                             f"{_shown(node)}", "for example 2018-07-06")
        year, month, day = map(int, match.groups())
        if not 1 <= month <= 12:
            return self.fail(node, f"{what} {text} has no month {month}",
                             "months run from 01 to 12")
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return self.fail(node, f"{what} {text} is not a real date",
                             f"{calendar.month_name[month]} {year} has {last} days")
        return dt.date(year, month, day)




def _country_hint(text: str) -> str:
    if text in NOT_COUNTRIES:
        return f"write {NOT_COUNTRIES[text]}"
    if text.upper() in COUNTRIES:
        return f"write it in capitals: {text.upper()}"
    return "write the country's two-letter code in capitals, e.g. JP, US, DE or GB"


def _ending(text: str) -> str:
    """The last words of a text, to show where it stops."""
    if len(text) <= 30:
        return text
    tail = text[-30:]
    return "..." + (tail.split(" ", 1)[1] if " " in tail[:-1] else tail)


_SINGULAR = {"sections": "section", "categories": "category", "purposes": "purpose",
             "recipients": "recipient", "sources": "source", "rights": "right"}


def _item_name(node: Node, number: int, field: str) -> str:
    """An item as the legal team knows it: a section by its id, else by its position."""
    id_node = node.items.get("id", (None, None))[1] if node.kind == "map" else None
    if field in _SINGULAR and id_node is not None and isinstance(id_node.value, str):
        return f"{_SINGULAR[field]} '{id_node.value}'"
    return f"item {number} of '{field}'"


@functools.cache
def _unwrapped(hint: object) -> tuple[object, object, tuple, bool]:
    """A field's type without its '| None', that type's origin and arguments, and whether
    the field may be None; looked up once per type (typing's lookup is slow)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin not in (typing.Union, types.UnionType):
        return hint, origin, args, False
    hint = next(a for a in args if a is not type(None))
    return hint, typing.get_origin(hint), typing.get_args(hint), type(None) in args


@functools.cache
def _shape(cls: type) -> tuple[dict, dict[str, dataclasses.Field]]:
    """A model class's type hints and fields, looked up once (typing's lookup is slow)."""
    return typing.get_type_hints(cls), {f.name: f for f in dataclasses.fields(cls)}


def _shown(node: Node) -> str:
    if node.kind != "scalar":
        return "a list" if node.kind == "seq" else "a mapping"
    return "nothing" if node.value is None else repr(node.value)


def load(root: Path, cache: Cache | None = None) -> Policy:
    """Read, check and model the policy source under `root`; raise PolicyError listing all
    errors (warnings are dropped: commands that report them call `load_with_warnings`)."""
    return read(root, cache)[0]


def load_with_warnings(root: Path, cache: Cache | None = None
                       ) -> tuple[Policy, tuple[Diagnostic, ...]]:
    """The policy and the warnings found reading it; PolicyError if any error was found."""
    policy, warnings, _ = read(root, cache)
    return policy, warnings


def read(root: Path, cache: Cache | None = None,
         locked_languages: Mapping[str, tuple[str, ...]] | None = None,
         link_base: str | None = None
         ) -> tuple[Policy, tuple[Diagnostic, ...], Callable[..., Diagnostic]]:
    """The policy, its warnings, and a `locate` that places later problems (the lock's) in
    its files. `locked_languages`: each language the lock records, with the versions that
    lock it (a locked language can never be removed); `link_base`: what relative links are
    resolved against (policygen.yml's), None to refuse them. With a cache, a version file
    read before with the same bytes is not read again."""
    locked_languages = locked_languages or {}
    policy_path = root / POLICY_FILE
    if not policy_path.exists() and not policy_path.is_symlink():
        raise PolicyError([Diagnostic(str(policy_path), 1, 1, "policy file not found",
                                      f"create {POLICY_FILE} or pass --source")])
    cache = cache or Cache(None)
    # The link base is part of what the texts mean (and of every page showing a relative
    # link), so what is kept of the source is kept for it too.
    cache.sources[POLICY_FILE] = cache_key(_bytes(policy_path), link_base or "")
    info_node, problems = read_file(policy_path)
    converter = _Converter()
    info = _INVALID
    if info_node is not None:
        converter.languages = _usable_languages(info_node)
        # A locked language removed from 'languages' is said once, at that list; the texts are
        # read as if it were still listed, so that each is not reported as unknown.
        converter.languages += _removed_locked_languages(locked_languages, info_node,
                                                         converter)
        info = converter.dataclass(info_node, PolicyInfo, "the policy")
        if isinstance(info, PolicyInfo):
            _check_info(info, info_node, converter)
    # Whatever holds a version's name is read, a folder or a FIFO too: read_file says what
    # it is, where leaving it out would say nothing.
    paths = sorted((root / VERSIONS_DIR).glob("*.y*ml"))
    problems += misnamed_versions(root / VERSIONS_DIR)
    if not paths:
        problems.append(Diagnostic(str(root / VERSIONS_DIR), 1, 1, "no version files found",
                                   "add one file per version, e.g. versions/2018-07-06.yaml"))
    loaded: list[tuple[Version, _Located]] = []
    authoritative = info.authoritative_language if isinstance(info, PolicyInfo) else ""
    for version, found, located in _read_versions(paths, converter.languages, authoritative,
                                                  cache, link_base):
        problems += found
        if version is not None and located is not None:
            loaded.append((version, located))
    problems += converter.problems
    loaded.sort(key=lambda pair: pair[0].effective_date)
    _check_versions(loaded, problems)
    if any(not p.is_warning for p in problems) or not isinstance(info, PolicyInfo):
        raise PolicyError(problems)
    nodes = _Nodes({version.id: where.path for version, where in loaded})
    policy = Policy(info, tuple(version for version, _ in loaded), link_base)
    locate = locator(root, nodes)
    return policy, tuple(sorted(problems)), locate


def _bytes(path: Path) -> bytes:
    """A source file's bytes for its cache key; what cannot be read (read_file says why) is
    keyed by a text no file holds, so that it is read, and refused, again."""
    try:
        return read_bounded(path, MAX_FILE_BYTES)
    except Unreadable as refused:
        return b"\0unreadable: " + refused.message.encode()


@dataclasses.dataclass(frozen=True, slots=True)
class _Located:
    """Where a version file states its id and effective date, for checks across files."""

    file: str
    id: tuple[int, int]
    effective_date: tuple[int, int]
    # The file, read again if a problem found later must be placed in it. Its tree is not
    # kept: at 200 versions the trees are half a million nodes, which cost more to keep (in
    # memory, to pickle into the cache or from a worker, and to the garbage collector, which
    # walks them again and again) than reading the odd file again.
    path: Path


_Read = tuple[Version | None, list[Diagnostic], _Located | None]


def _read_versions(paths: list[Path], languages: tuple[str, ...], authoritative: str,
                   cache: Cache, link_base: str | None = None) -> list[_Read]:
    """Each file's result, from the cache when its bytes (and its path, which diagnostics
    name, and the policy's languages) are unchanged, else read now and kept. Later steps
    find their results by the version's `cache.sources` key, which leaves out the path: a
    version is the same wherever the command runs from."""
    contents = [cache_key("\0".join(languages), authoritative, link_base or "",
                          _bytes(path)) for path in paths]
    keys = [cache_key(display_path(path), content)
            for path, content in zip(paths, contents, strict=True)]
    results: list[_Read | None] = [cache.get("versions", key) for key in keys]  # type: ignore
    missing = [index for index, result in enumerate(results) if result is None]
    workers = min(os.cpu_count() or 1, 4)
    read = functools.partial(_read_version, languages=languages, authoritative=authoritative,
                             link_base=link_base)
    if len(missing) < PARALLEL_FROM or workers < 2:
        fresh = [read(paths[index]) for index in missing]
    else:
        with worker_pool(workers) as pool:
            fresh = list(pool.map(read, [paths[index] for index in missing],
                                  chunksize=max(1, len(missing) // (workers * 4))))
    for index, result in zip(missing, fresh, strict=True):
        results[index] = result
        cache.put("versions", keys[index], result)
    for content, (version, _, _) in zip(contents, results, strict=True):  # type: ignore[misc]
        if version is not None:
            cache.sources[version.id] = content
    return results  # type: ignore[return-value]


@contextlib.contextmanager
def _collector_paused() -> typing.Iterator[None]:
    """Python's cycle collector paused while a version file is read: its tree (thousands of
    nodes and no cycle among them) is freed by reference counting once its version is built,
    and a collection every 700 new objects would only walk it again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def _read_version(path: Path, languages: tuple[str, ...], authoritative: str = "",
                  link_base: str | None = None) -> _Read:
    """Read, convert and check one version file (in a worker process for large sources)."""
    node, problems = read_file(path)
    if node is None or not languages:
        return None, problems, None
    converter = _Converter(languages, defer_missing=True, link_base=link_base)
    status = node.items.get("status", (None, None))[1] if node.kind == "map" else None
    if status is not None and status.value == "draft":
        converter.stand_in = authoritative or languages[0]
    version = converter.dataclass(node, Version, f"version {path.stem}")
    converter.judge_missing(status is not None and status.value == "published",
                            authoritative or languages[0])
    if not isinstance(version, Version):
        return None, problems + converter.problems, None
    _check_version(version, path, node, converter)
    id_node, date_node = node.items["id"][1], node.items["effective_date"][1]
    located = _Located(node.file.path, (id_node.line, id_node.column),
                       (date_node.line, date_node.column), path)
    return version, problems + converter.problems, located


class _Nodes(dict):
    """Each version file's root node, read the first time a problem is placed in that file."""

    def __init__(self, unread: dict[str, Path]):
        super().__init__()
        self.unread = unread

    def get(self, version_id: str, default: Node | None = None  # type: ignore[override]
            ) -> Node | None:
        if version_id not in self and version_id in self.unread:
            self[version_id] = read_file(self.unread.pop(version_id))[0]
        return super().get(version_id, default)


def locator(root: Path, nodes: dict[str, Node]) -> Callable[..., Diagnostic]:
    """Places problems found after loading (by the lock) in the version files, from their
    nodes: at the node a path of keys names (an id standing for the item of a list that has
    it), else the nearest enclosing node; with a `needle`, at that text inside the value, so
    that an edit in a long text is shown on its own line."""
    def locate(version_id: str, path: tuple[str, ...], message: str, hint: str = "",
               needle: str = "") -> Diagnostic:
        node = nodes.get(version_id)
        if node is None:
            return Diagnostic(display_path(root / VERSIONS_DIR / f"{version_id}.yaml"), 1, 1,
                              message, hint)
        for step in path:
            if node.kind == "map" and step in node.items:
                node = node.items[step][1]
            elif node.kind == "seq":
                found = next((item for item in node.elements
                              if item.kind == "map" and "id" in item.items and
                              str(item.items["id"][1].value) == step), None)
                if found is None:
                    break
                node = found
            else:
                break
        # A text folded over several lines in the file is found by a shorter piece of it.
        for piece in (needle, needle[:12], needle[:6]) if needle else ():
            line, column = node.locate(piece)
            if (line, column) != (node.line, node.column):
                return Diagnostic(node.file.path, line, column, message, hint)
        return node.error(message, hint)

    return locate


def _usable_languages(info_node: Node) -> tuple[str, ...]:
    """The valid codes of 'languages': the versions are checked against these, so that one
    bad code is reported once, not as a missing translation in every text."""
    languages_node = info_node.items.get("languages", (None, None))[1] \
        if info_node.kind == "map" else None
    if languages_node is None or languages_node.kind != "seq":
        return ()
    probe = _Converter()
    found = [probe.text(item, {"kind": "language"}, "") for item in languages_node.elements]
    return tuple(dict.fromkeys(code for code in found if isinstance(code, str)))


def _removed_locked_languages(locked_languages: Mapping[str, tuple[str, ...]], info_node: Node,
                              converter: _Converter) -> tuple[str, ...]:
    """The languages the lock records that 'languages' no longer lists, each reported once at
    'languages' (naming the versions that lock it): a published text stays published."""
    if not converter.languages:
        return ()
    key = info_node.items["languages"][0]
    removed = []
    for language, version_ids in locked_languages.items():
        if language not in converter.languages:
            removed.append(language)
            versions = "versions" if len(version_ids) > 1 else "version"
            converter.fail(key, f"'{language}' is locked in published {versions} "
                           f"{', '.join(version_ids)}, and a locked language can never be "
                           "removed", f"keep '{language}' in 'languages'")
    return tuple(removed)


def _check_info(info: PolicyInfo, node: Node, converter: _Converter) -> None:
    if len(set(info.languages)) != len(info.languages):
        converter.fail(node.items["languages"][1], "a language is listed twice",
                       "list each once")
    if info.authoritative_language not in info.languages:
        converter.fail(node.items["authoritative_language"][1],
                       f"authoritative language '{info.authoritative_language}' is not one of "
                       f"the policy's languages", "add it to 'languages'")


def _check_version(version: Version, path: Path, node: Node, converter: _Converter) -> None:
    id_node = node.items["id"][1]
    if version.id != path.stem:
        converter.fail(id_node, f"version id '{version.id}' does not match its file name "
                       f"'{path.name}'", f"rename the file to {version.id}.yaml, or fix the id")
    if version.id in RESERVED_VERSION_IDS:
        converter.fail(id_node, f"'{version.id}' is reserved for the site's own pages",
                       "choose another id, such as the effective date")
    if version.status == "draft" and version.corrections:
        converter.fail(node.items["corrections"][0], f"version {version.id} is a draft but "
                       "lists corrections", "remove the 'corrections' entries: they record "
                       "changes to a published text, and were copied with the file")
    sections_node = node.items["sections"][1]
    seen: dict[str, int] = {}
    above = 0  # the level of the section before, 0 before the first
    for section, section_node in zip(version.sections, sections_node.elements, strict=True):
        if section.level > above + 1:
            _fail_skipped_level(converter, section_node, section.id, section.level, above)
        above = section.level
        if section.id in seen:
            converter.fail(section_node.items["id"][1], f"section id '{section.id}' is used "
                           f"twice in version {version.id}", f"the first is on line "
                           f"{seen[section.id]}; section ids must be unique")
        seen[section.id] = section_node.items["id"][1].line
        if section.id in RESERVED_SECTION_IDS or \
                section.id.startswith(RESERVED_SECTION_PREFIX):
            converter.fail(section_node.items["id"][1], f"section id '{section.id}' is "
                           "reserved for the pages' own anchors",
                           f"choose another id; ids starting with '{RESERVED_SECTION_PREFIX}'"
                           f" and {', '.join(sorted(RESERVED_SECTION_IDS))} are reserved")
        fact = needed_fact(section.block) if section.block is not None else None
        if fact is not None and getattr(version.facts, fact) is None:
            converter.fail(section_node.items["block"][1], f"section '{section.id}' shows the "
                           f"block '{section.block}', but version {version.id} states no "
                           f"'{fact}' in its facts", f"add 'facts: {fact}: ...' to the version,"
                           " or remove the block: a block shows only what the version states")
        ids = [c.id for c in section.categories]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            converter.fail(section_node.items["categories"][1],
                           f"category id '{duplicate}' is used twice in section '{section.id}'",
                           "category ids must be unique within their section")
    if version.processing is not None:
        block = node.items["processing"][1]
        for problem in processing.problems(version.processing):
            converter.fail(_at(block, problem.place), problem.message, problem.hint)
    for text_node, target, what in converter.anchors:
        if wrong := links.anchor_problem(target, what, version.id, list(seen)):
            converter.inside(text_node, target, wrong.message, wrong.hint, wrong.severity)


def _at(node: Node, place: processing.Place) -> Node:
    """The node a place names below `node`, else the deepest one of it the file has."""
    for step in place:
        if isinstance(step, int) and node.kind == "seq" and step < len(node.elements):
            node = node.elements[step]
        elif isinstance(step, str) and node.kind == "map" and step in node.items:
            node = node.items[step][1]
        else:
            break
    return node


def _fail_skipped_level(converter: _Converter, node: Node, section_id: str, level: int,
                        above: int) -> None:
    """Sections nest like the headings they become: one skipped level leaves a heading
    without its parent, in the page's outline and in a screen reader's."""
    where = node.items.get("level", node.items["id"])[1]
    if above == 0:
        converter.fail(where, f"section '{section_id}' is the first section but at level "
                       f"{level}", "the first section is at level 1: remove its 'level' or "
                       "write 'level: 1'")
    else:
        converter.fail(where, f"section '{section_id}' is at level {level} right after a "
                       f"section at level {above}, which skips level {above + 1}",
                       f"write 'level: {above + 1}', or add a section of level {above + 1} "
                       "before it")


def _check_versions(loaded: list[tuple[Version, _Located]],
                    problems: list[Diagnostic]) -> None:
    """Checks across files; `loaded` is in effective-date order."""
    for (earlier, _), (later, where) in itertools.pairwise(loaded):
        if earlier.effective_date == later.effective_date:
            problems.append(Diagnostic(
                where.file, *where.effective_date,
                f"versions {earlier.id} and {later.id} take effect on the same day "
                f"({later.effective_date})", "give each version its own effective date"))
    first_file: dict[str, _Located] = {}
    for version, where in loaded:
        if version.id in first_file:
            problems.append(Diagnostic(
                where.file, *where.id,
                f"version id '{version.id}' is also used in {first_file[version.id].file}",
                "each version needs its own id"))
        first_file.setdefault(version.id, where)


__all__ = ["load", "load_with_warnings", "PolicyError"]
