"""Whether a version asks for the consent it needs: one that widens the processing (a new
purpose, recipient or transfer, or data kept longer) while `reconsent_required` is false is
named, unless the version records why users need not consent again
(`reconsent_not_required_because`). `policygen lock` warns; with --strict it refuses.
A version is compared with the one before it only where that one states its processing."""
from __future__ import annotations

from generator.core.diagnostics import Diagnostic, warning
from generator.core.model import Policy, Version
from generator.core.processing_changes import ProcessingChange, compare_processing

OVERRIDE = "reconsent_not_required_because"


def widening(policy: Policy, version: Version) -> tuple[ProcessingChange, ...]:
    """What `version` adds to the processing of the version before it (the one it follows in
    effect: a withdrawn version never took effect)."""
    earlier = [v for v in policy.versions[:policy.versions.index(version)]
               if v.withdrawal is None]
    # A first processing block describes what the text already said, not a widening: only
    # a version after one that states its processing is compared with it.
    if not earlier or earlier[-1].processing is None:
        return ()
    changes = compare_processing(earlier[-1].processing, version.processing,
                                 policy.info.authoritative_language)
    return tuple(change for change in changes if change.extends)


def warnings(policy: Policy, version: Version, locate) -> list[Diagnostic]:
    """A warning at `reconsent_required` where the version widens the processing without
    asking for consent again or saying why it need not."""
    if version.reconsent_required or getattr(version, OVERRIDE) is not None:
        return []
    found = widening(policy, version)
    if not found:
        return []
    what = "; ".join(map(described, found))
    placed = locate(version.id, ("reconsent_required",),
                    f"version {version.id} widens the processing ({what}) while "
                    "reconsent_required is false",
                    "set 'reconsent_required: true', or record why users need not consent "
                    f"again under '{OVERRIDE}:', in each language")
    return [warning(placed.path, placed.line, placed.column, placed.message, placed.hint)]


def described(change: ProcessingChange) -> str:
    """The change in a diagnostic's words (English, as every diagnostic is)."""
    if change.change == "added":
        article = {"purposes": "purpose", "recipients": "recipient", "transfers": "transfer to"}
        return f"new {article.get(change.of, change.of)} '{change.item}'"
    return f"retention of '{change.item}' lengthened from {change.old} to {change.new}"
