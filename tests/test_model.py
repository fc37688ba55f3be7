"""Which version a reader sees on a given day."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.core.model import timeline
from generator.source.convert import load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def policy():
    return load(ROOT / "policy_src")


@pytest.mark.parametrize("as_of, current, upcoming", [
    (dt.date(2018, 7, 5), None, ["2018-07-06", "2027-04-01"]),
    (dt.date(2018, 7, 6), "2018-07-06", ["2027-04-01"]),
    (dt.date(2027, 3, 31), "2018-07-06", ["2027-04-01"]),
    (dt.date(2027, 4, 1), "2027-04-01", []),
])
def test_the_last_version_in_effect_is_in_force(policy, as_of, current, upcoming):
    line = timeline(policy, as_of)
    assert (line.current.id if line.current else None) == current
    assert [v.id for v in line.upcoming] == upcoming


def test_states_previous_and_next_follow_effective_dates(policy):
    line = timeline(policy, dt.date(2026, 11, 25))
    old, new = line.versions
    assert (line.state(old), line.state(new)) == ("current", "upcoming")
    assert (line.previous(old), line.next(old), line.previous(new)) == (None, new, old)


def test_localized_text_is_read_by_language(policy):
    title = policy.info.title
    assert (title["ja"], title["en"]) == ("プライバシーポリシー", "Privacy Policy")
    with pytest.raises(KeyError):
        title["fr"]


def test_a_withdrawn_successor_neither_ends_a_version_nor_is_compared_with_the_next(policy):
    import dataclasses

    from generator.core.model import Withdrawal
    from generator.outputs.pages import end_of

    old, announced = policy.versions
    withdrawn = dataclasses.replace(announced, withdrawal=Withdrawal(
        dt.date(2026, 12, 1), announced.summary))
    later = dataclasses.replace(announced, id="2028-01-01",
                                effective_date=dt.date(2028, 1, 1))
    line = timeline(dataclasses.replace(policy, versions=(old, withdrawn, later)),
                    dt.date(2028, 6, 1))
    assert line.next(old) == later
    assert end_of(old, line) == dt.date(2027, 12, 31)  # not 2027-03-31, the day before
    assert line.previous(later) == old
    assert [(a.id, b.id) for a, b in line.pairs()] == [
        ("2018-07-06", "2027-04-01"), ("2018-07-06", "2028-01-01")]
