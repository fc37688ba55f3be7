"""Diffs by meaning: what changed in two versions' processing, in the changes document, the
redlines, `policygen diff` and the compare page's data; and the re-consent check of `lock`."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

from generator.checks import reconsent, translations
from generator.core import diff, i18n
from generator.core.localized import Localized
from generator.core.processing import Recipient, Retention
from generator.core.processing_changes import compare_processing, duration_days
from generator.outputs import api, redline
from generator.source import convert
from tests.helpers import ROOT
from tests.processing_cases import (
    published_pair,
    with_processing,
)


def english(project):
    return i18n.read_catalog(ROOT / "locales", "en")


def two_versions(project):
    """The fixture's processing in a draft (the later version), and an earlier one that
    lacks its purpose 'greetings', has one more recipient and keeps e-mail 30 days where the
    later one keeps it 90."""
    with_processing(project)
    policy = convert.load(project.source)
    new = policy.version("2028-04-01")
    assert new is not None and new.processing is not None
    later = dataclasses.replace(new.processing, retention=new.processing.retention + (
        Retention(categories=("email",), period="P90D"),))
    agent = Localized((("ja", "決済代行会社"), ("en", "Payment agent")))
    payments = Recipient(id="payment-agent", name=agent, kind="processor",
                         country="JP", purposes=("contract",))
    earlier = dataclasses.replace(
        later, purposes=tuple(p for p in later.purposes if p.id != "greetings"),
        recipients=later.recipients + (payments,),
        retention=later.retention[:-1] + (Retention(categories=("email",), period="P30D"),))
    new = dataclasses.replace(new, processing=later)
    old = dataclasses.replace(new, id="2028-01-01", processing=earlier)
    return policy, old, new


def test_one_purpose_one_recipient_and_one_retention_are_exactly_the_three_changes(project):
    policy, old, new = two_versions(project)
    found = compare_processing(old.processing, new.processing, "en")
    assert [(c.of, c.item, c.change, c.field, c.old, c.new, c.longer) for c in found] == [
        ("purposes", "greetings", "added", None, None, None, None),
        ("recipients", "payment-agent", "removed", None, None, None, None),
        ("retention", "email", "changed", "period", "P30D", "P90D", True)]
    assert [c.extends for c in found] == [True, False, True]


def test_the_changes_document_and_diff_json_list_them_with_sentences(project):
    policy, old, new = two_versions(project)
    change = translations.changes(policy, old, new, "en")
    document = json.loads(api.changes_document(change, english(project)))
    assert document["unchanged"] is False
    assert document["processing"] == [
        {"list": "purposes", "item": "greetings", "name": "To send greeting cards and "
         "thank-you letters", "change": "added",
         "text": "Purpose “To send greeting cards and thank-you letters” added"},
        {"list": "recipients", "item": "payment-agent", "name": "Payment agent",
         "change": "removed", "text": "Recipient “Payment agent” removed"},
        {"list": "retention", "item": "email", "name": None, "change": "changed",
         "field": "period", "old": "P30D", "new": "P90D", "direction": "longer",
         "text": "Retention “email”: retention period lengthened from P30D to P90D"}]
    assert "Retention “email”: retention period lengthened from P30D to P90D" in \
        diff.to_text(change, english(project).gettext)


def test_the_redline_shows_the_processing_changes_before_the_text_in_the_readers_language(
        project):
    policy, old, new = two_versions(project)
    japanese = i18n.read_catalog(ROOT / "locales", "ja")
    change = translations.changes(policy, old, new, "ja")
    markdown = redline.render(policy, old, new, change, japanese, "markdown")
    heading = "## " + japanese.gettext("What changed in the processing")
    assert heading != "## What changed in the processing"  # translated
    part = markdown[markdown.index(heading):].split("\n## ")[0]
    items = [line for line in part.splitlines() if line.startswith("- ")]
    assert len(items) == 3
    assert "年賀状、お礼状等をお送りするため" in items[0] and "P30D" in items[2]
    html = redline.render(policy, old, new, change, japanese, "html")
    assert html.count("<li>") >= 3 and japanese.gettext("What changed in the processing") in html


def test_a_changed_text_in_another_language_is_no_change_to_this_reader(project):
    policy, old, new = two_versions(project)
    purpose = new.processing.purposes[0]
    renamed = dataclasses.replace(purpose, name=dataclasses.replace(
        purpose.name, values=(("ja", "変更"), ("en", purpose.name["en"]))))
    changed = dataclasses.replace(new.processing, purposes=(renamed,) +
                                  new.processing.purposes[1:])
    assert compare_processing(new.processing, changed, "en") == ()
    [found] = compare_processing(new.processing, changed, "ja")
    assert (found.field, found.new) == ("name", "変更")


def test_periods_are_ordered_by_their_length_not_their_text():
    assert duration_days("P6M") > duration_days("P90D") > duration_days("P12W")
    assert duration_days("P1Y") > duration_days("P11M")


def test_diff_json_on_the_command_line_lists_the_processing_of_a_first_block(project, cli):
    # the example's 2018 version states no processing, its 2027 version the ISAO block
    run = cli("diff", "2018-07-06", "2027-04-01", "--lang", "en", "--format", "json",
              cwd=project.root)
    assert run.code == 0, run.err
    listed = json.loads(run.out)["processing"]
    categories = [c["item"] for c in listed if c["list"] == "categories"]
    assert categories[:3] == ["name", "email", "phone"] and len(categories) == 11
    assert all(c["change"] == "added" for c in listed)


# --- the re-consent check -------------------------------------------------------------------

def test_lock_warns_on_a_new_purpose_without_reconsent_and_strict_refuses(project, cli):
    published_pair(project)
    strict = cli("lock", "--strict", cwd=project.root)
    assert strict.code == 2
    assert "versions/2028-06-01.yaml:10:" in strict.err
    assert "version 2028-06-01 widens the processing (new purpose 'marketing') while " \
           "reconsent_required is false" in strict.err
    assert "2028-01-01 widens" not in strict.err  # its first block is no widening
    run = cli("lock", cwd=project.root)
    assert run.code == 0 and "locked version 2028-06-01" in run.out
    assert "warning: version 2028-06-01 widens the processing" in run.err


OVERRIDE = """reconsent_not_required_because:
  ja: 広告の配信には別途同意を取得します。
  en: Advertisements are delivered only to users who consent to them separately.
"""


def test_the_reason_for_no_reconsent_silences_lock_and_is_published(project, cli):
    published_pair(project, override=OVERRIDE)
    run = cli("lock", cwd=project.root)
    assert run.code == 0 and "locked version 2028-06-01" in run.out, run.err
    assert "widens" not in run.err
    built = project.build(as_of=dt.date(2028, 7, 1))  # after the lock's day, whatever it is
    document = json.loads((built.result.out_dir / "api/v1/versions/2028-06-01/en.json")
                          .read_bytes())
    reason = "Advertisements are delivered only to users who consent to them separately."
    assert document["version"]["reconsent_not_required_because"] == reason
    index = json.loads((built.result.out_dir / "api/v1/policy.json").read_bytes())
    entries = {entry["id"]: entry for entry in index["versions"]}
    assert entries["2028-06-01"]["reconsent_not_required_because"]["en"] == reason
    assert entries["2027-04-01"]["reconsent_not_required_because"] is None
    policy = convert.load(project.source)
    version = policy.version("2028-06-01")
    assert version is not None and reconsent.widening(policy, version)  # it does widen


def test_a_version_stating_no_processing_after_none_is_never_warned(project):
    policy = convert.load(ROOT / "policy_src")
    assert all(reconsent.warnings(policy, v, convert.locator(ROOT, {})) == []
               for v in policy.versions)


# --- in the browser -------------------------------------------------------------------------

def test_the_redline_and_compare_pages_show_the_processing_changes(project, cli, browser):
    from tests.browser import pages_opened, serve

    published_pair(project)
    assert cli("lock", cwd=project.root).code == 0
    site = project.build(as_of=dt.date(2028, 7, 1)).result.out_dir  # after the lock's day
    expected = "Purpose “To deliver advertisements” added"
    with serve(site) as base, pages_opened(browser, base) as visit:
        for path in ("en/changes/2028-06-01/",
                     "en/compare/?from=2028-01-01&to=2028-06-01"):
            page = visit(path)
            assert page.locator("ul.pg-processing-changes li").all_inner_texts() == \
                [expected], path
            assert page.problems == []
        # a pair no changes document describes: the structure is not compared in the browser
        page = visit("en/compare/?from=2027-04-01&to=2028-06-01")
        assert page.locator("ul.pg-processing-changes").count() == 0
        ja = visit("ja/changes/2028-06-01/")
        assert ja.locator("ul.pg-processing-changes li").all_inner_texts() == [
            "利用目的「広告を配信するため」を追加"]


def test_a_new_transfer_or_a_longer_retention_widens_and_a_shorter_one_does_not(project):
    from generator.core.processing import Transfer

    policy, old, new = two_versions(project)
    base = new.processing
    abroad = dataclasses.replace(base, transfers=base.transfers + (Transfer(country="SG"),))
    shorter = dataclasses.replace(base, retention=base.retention[:-1] + (
        Retention(categories=("email",), period="P7D"),))
    [transfer] = compare_processing(base, abroad, "en")
    [retention] = compare_processing(base, shorter, "en")
    assert (transfer.of, transfer.item, transfer.extends) == ("transfers", "SG", True)
    assert (retention.longer, retention.extends) == (False, False)
    assert reconsent.described(transfer) == "new transfer to 'SG'"
    purpose = base.purposes[0]
    reordered = dataclasses.replace(base, purposes=(dataclasses.replace(
        purpose, categories=purpose.categories[::-1]),) + base.purposes[1:])
    assert compare_processing(base, reordered, "en") == ()
