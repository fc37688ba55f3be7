"""`policygen show`: the text in force on a day exactly as it read then, for a regulator or a
court, with its hash and what was recorded after. Pure: the answer and the exact document
published then in; text or JSON out (the terminal's words, in English like every message)."""
from __future__ import annotations

import json

from generator.core.localized import Localized
from generator.core.model import Policy
from generator.outputs import routes
from generator.record.history import InForce, Later


def _happened(later: Later, policy: Policy, language: str) -> str:
    """One later step in words, with the reason or date the source gives it today."""
    version = policy.version(later.version)
    kind, _, number = later.what.partition(" ")
    if version is None:
        return later.what
    if kind == "announced":
        return f"announced, to take effect on {version.effective_date}"
    if kind in ("correction", "postponement"):
        steps = version.corrections if kind == "correction" else version.postponements
        index = int(number) - 1
        if 0 <= index < len(steps):
            return f"{later.what}: {_in(steps[index].reason, language)}"
    if kind == "withdrawn" and version.withdrawal is not None:
        return f"withdrawn: {_in(version.withdrawal.reason, language)}"
    return later.what


def _in(text: Localized, language: str) -> str:
    """A reason in the language asked, else in the first (the authoritative one)."""
    return text[language if language in text.languages() else text.languages()[0]]


def to_text(answer: InForce, document: dict, policy: Policy) -> str:
    """The header (version, hash, where its bytes are kept), the later steps, then the text."""
    version = answer.version
    lines = [f"In force on {answer.day}: version {version.id}, effective "
             f"{version.effective_date} ({answer.language})",
             f"SHA-256 of its text as it read that day: {answer.sha256}",
             f"Its exact bytes: policy_src/published/{version.id}/{answer.language}/"
             f"{answer.sha256}.json, published as "
             f"{routes.revision_path(version.id, answer.language, answer.sha256)}", ""]
    if answer.later:
        lines.append(f"Recorded after {answer.day}:")
        lines += [f"  {step.date}  {step.version}  {_happened(step, policy, answer.language)}"
                  for step in answer.later]
    else:
        lines.append(f"Nothing was recorded after {answer.day}.")
    lines += ["", document["policy"]["title"], ""]
    for section in document["sections"]:
        lines += ["#" * section["level"] + " " + section["title"], ""]
        if section["text"]:
            lines += [section["text"], ""]
        if section.get("note"):
            lines += [section["note"], ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(answer: InForce, document: dict, policy: Policy) -> str:
    """The answer as data: the exact document, its hash, and each later step."""
    data = {"as_of": answer.day.isoformat(), "version": answer.version.id,
            "effective_date": answer.version.effective_date.isoformat(),
            "language": answer.language, "sha256": answer.sha256,
            "published_as": routes.revision_path(answer.version.id, answer.language,
                                                 answer.sha256),
            "recorded_after": [{"date": step.date.isoformat(), "version": step.version,
                                "what": step.what, "said": _happened(step, policy, answer.language)}
                               for step in answer.later],
            "document": document}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
