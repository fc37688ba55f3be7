"""policygen's reference client for Python 3.11+, standard library only: the same rules as
clients/js/policygen.mjs. `check()` polls current.json (with If-None-Match), reads the index
only when it must, and says whether to ask the user for consent; `download()` fetches a text
and verifies its hash; `consent_record()` makes the record to store
(api/v1/schema/consent-record.schema.json)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

Json = dict  # a JSON object as json.loads gives it
# (url, headers) -> (status, headers, body): urllib by default; tests and apps may pass their own.
Fetch = Callable[[str, dict], tuple[int, dict, bytes]]


def urllib_fetch(url: str, headers: dict, timeout: float = 30) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                    timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return 304, dict(error.headers), b""
        raise


@dataclass
class State:
    """What the last poll returned: pass it to the next, which then costs a 304 if unchanged."""

    etag: str | None = None
    current: Json | None = None


def poll(current_url: str, state: State | None = None, fetch: Fetch = urllib_fetch
         ) -> tuple[State, bool]:
    """current.json, as a new State, and whether it changed since `state`."""
    state = state or State()
    headers = {"If-None-Match": state.etag} if state.etag else {}
    status, sent, body = fetch(current_url, headers)
    if status == 304 and state.current is not None:
        return state, False
    if status != 200:
        raise RuntimeError(f"{current_url}: HTTP {status}")
    current = json.loads(body)
    return State({k.lower(): v for k, v in sent.items()}.get("etag"), current), \
        current != state.current


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def is_fresh(current: Json, now: dt.datetime) -> bool:
    """Whether current.json still tells what is in force at `now`: until valid_until."""
    return current["valid_until"] is None or now < _instant(current["valid_until"])


@dataclass(frozen=True)
class Text:
    sha256: str
    url: str  # its hash-named URL: never changes


@dataclass(frozen=True)
class InForce:
    id: str
    sequence: int
    reconsent_required: bool
    texts: dict[str, Text]


def _from_current(entry: Json, current_url: str) -> InForce:
    return InForce(entry["id"], entry["sequence"], entry["reconsent_required"], {
        lang: Text(sha, urljoin(current_url, entry["by_hash"].replace("{lang}", lang.lower())
                                .replace("{sha256}", sha)))
        for lang, sha in entry["sha256"].items()})


def _from_index(entry: Json, index_url: str) -> InForce:
    return InForce(entry["id"], entry["sequence"], entry["reconsent_required"], {
        lang: Text(doc["sha256"], urljoin(index_url, doc["by_hash"]))
        for lang, doc in entry["documents"].items()})


def _taking_effect(index: Json | None) -> list[Json]:
    if index is None:
        raise ValueError("the index is needed: current.json alone cannot settle this")
    return sorted((v for v in index["versions"] if not v.get("withdrawal")),
                  key=lambda v: v["sequence"])


def in_force(current: Json, index: Json | None, now: dt.datetime,
             current_url: str = "", index_url: str = "") -> InForce | None:
    """The version in force at `now`, or None. After valid_until the site has not been
    rebuilt since: the index's instants tell (the last version not withdrawn in effect)."""
    if is_fresh(current, now):
        return _from_current(current["current"], current_url) if current["current"] else None
    taken = [v for v in _taking_effect(index) if _instant(v["effective_at"]) <= now]
    return _from_index(taken[-1], index_url) if taken else None


def needs_index(record: Json | None, current: Json, now: dt.datetime) -> bool:
    """current.json settles a record of the text in force, or no record; anything else is
    checked against the whole history."""
    if not is_fresh(current, now):
        return True
    named = current["current"]
    return bool(record and named and not (
        record["version"] == named["id"] and
        record["sha256"] == named["sha256"].get(record["language"])))


@dataclass(frozen=True)
class Decision:
    ask: bool
    reason: str
    version: InForce | None
    upcoming: Json | None  # {id, effective_at, reconsent_required} of the next, or None
    language: str | None = None
    text: Text | None = None
    state: State = field(default_factory=State)


def decide(record: Json | None, current: Json, index: Json | None, now: dt.datetime,
           current_url: str = "", index_url: str = "") -> Decision:
    """Whether to ask the user for consent, from their stored record (or None), current.json
    and, where needs_index() says so, the index."""
    version = in_force(current, index, now, current_url, index_url)
    if is_fresh(current, now):
        following = current["upcoming"]
    else:
        following = next((v for v in _taking_effect(index)
                          if _instant(v["effective_at"]) > now), None)
    upcoming = {key: following[key] for key in ("id", "effective_at", "reconsent_required")} \
        if following else None

    def answer(ask: bool, reason: str) -> Decision:
        return Decision(ask, reason, version, upcoming)

    if version is None:
        return answer(False, "nothing-in-force")
    if record is None:
        return answer(True, "no-record")
    text = version.texts.get(record["language"])
    if record["version"] == version.id and text and record["sha256"] == text.sha256:
        return answer(False, "consented-to-this-text")
    versions = _taking_effect(index)
    accepted = next((v for v in versions if v["id"] == record["version"]), None)
    if accepted is None:
        return answer(True, "unknown-or-withdrawn-version")
    # The text the user read: the version's latest, or one a correction replaced since.
    corrections = accepted.get("corrections", [])
    replaced_by = next((number for number, correction in enumerate(corrections)
                        if correction["replaced"].get(record["language"], {}).get("sha256")
                        == record["sha256"]), None)
    latest = accepted["documents"].get(record["language"], {}).get("sha256")
    if replaced_by is None and latest != record["sha256"]:
        return answer(True, "hash-matches-no-text")
    if replaced_by is not None and any(c.get("reconsent_required")
                                       for c in corrections[replaced_by:]):
        return answer(True, "correction-requires-consent")
    # Withdrawn versions never took effect: they are not in `versions`, so never counted.
    since = [v for v in versions if accepted["sequence"] < v["sequence"] <= version.sequence]
    if any(v["reconsent_required"] for v in since):
        return answer(True, "reconsent-required")
    return answer(False, "earlier-consent-still-counts" if since else
                  "consented-to-this-version")


def choose_language(wanted: list[str], available: list[str], authoritative: str) -> str:
    """The user's language where the version has it, else the authoritative one: each tag
    tried whole, then without its last subtag, as RFC 4647's lookup does, ignoring case."""
    by_lower = {tag.lower(): tag for tag in available}
    for tag in wanted:
        parts = tag.lower().split("-")
        while parts:
            if "-".join(parts) in by_lower:
                return by_lower["-".join(parts)]
            parts.pop()
    return authoritative


def check(current_url: str, record: Json | None = None, languages: list[str] = (),
          now: dt.datetime | None = None, state: State | None = None,
          fetch: Fetch = urllib_fetch) -> Decision:
    """Poll, read the index only where needed, and decide; the Decision carries the language
    to show, that text, and the State to pass to the next check."""
    now = now or dt.datetime.now(dt.UTC)
    polled, _ = poll(current_url, state, fetch)
    current = polled.current
    assert current is not None
    index_url = urljoin(current_url, current["index"])
    index = None
    if needs_index(record, current, now):
        status, _, body = fetch(index_url, {})
        if status != 200:
            raise RuntimeError(f"{index_url}: HTTP {status}")
        index = json.loads(body)
    decision = decide(record, current, index, now, current_url, index_url)
    language = text = None
    if decision.version:
        language = choose_language(list(languages), list(decision.version.texts),
                                   current["authoritative_language"])
        text = decision.version.texts[language]
    return Decision(decision.ask, decision.reason, decision.version, decision.upcoming,
                    language, text, polled)


def verify(data: bytes, sha256: str) -> bool:
    """Whether `data` is the text whose SHA-256 is `sha256`."""
    return hashlib.sha256(data).hexdigest() == sha256


def download(text: Text, fetch: Fetch = urllib_fetch) -> bytes:
    """The text's bytes, refused unless they are what its hash says."""
    status, _, body = fetch(text.url, {})
    if status != 200:
        raise RuntimeError(f"{text.url}: HTTP {status}")
    if not verify(body, text.sha256):
        raise ValueError(f"{text.url} does not match its published hash")
    return body


def consent_record(policy_id: str, version: InForce, language: str, text: Text,
                   consented_at: dt.datetime, presented_at: dt.datetime | None = None
                   ) -> dict[str, Any]:
    """What to store once the user has read the text and agreed (times must be aware)."""
    shown = (presented_at or consented_at).isoformat()
    return {"policy": policy_id, "version": version.id, "sequence": version.sequence,
            "language": language, "sha256": text.sha256, "url": text.url,
            "consented_at": consented_at.isoformat(),
            "notice": {"notice_id": text.url, "notice_version": version.id,
                       "notice_language": language, "notice_hash": text.sha256,
                       "notice_presented_at": shown}}
