"""App store labels made from the policy's processing: Apple's privacy manifest and Google
Play's Data safety CSV, with the mapping in policy_src/store-labels.yaml, and a category
without a mapping named where it stands."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import plistlib

import pytest

from generator.core import store_labels
from generator.core.diagnostics import PolicyError
from generator.source import convert
from generator.source import store_labels as mapping_file
from tests.processing_cases import published_pair, with_processing

APPLE = {"name": "NSPrivacyCollectedDataTypeName",
         "email": "NSPrivacyCollectedDataTypeEmailAddress",
         "phone": "NSPrivacyCollectedDataTypePhoneNumber",
         "profile-image": "NSPrivacyCollectedDataTypePhotosorVideos",
         "payment": "NSPrivacyCollectedDataTypePaymentInfo",
         "device-identifiers": "NSPrivacyCollectedDataTypeDeviceID",
         "location": "NSPrivacyCollectedDataTypePreciseLocation",
         "ip-address": "NSPrivacyCollectedDataTypeCoarseLocation",
         "cookie-identifiers": "NSPrivacyCollectedDataTypeProductInteraction",
         "advertising-identifiers": "NSPrivacyCollectedDataTypeAdvertisingData"}


def labelled(project):
    with_processing(project)
    version = convert.load(project.source).version("2028-04-01")
    assert version is not None and version.processing is not None
    mapping = mapping_file.read(project.source)
    assert mapping is not None
    return version.processing, mapping


def test_the_privacy_manifest_is_a_property_list_of_the_examples_categories(project):
    processing, mapping = labelled(project)
    manifest = plistlib.loads(store_labels.privacy_manifest(processing, mapping))
    collected = {entry["NSPrivacyCollectedDataType"]: entry
                 for entry in manifest["NSPrivacyCollectedDataTypes"]}
    assert set(APPLE.values()) == set(collected)
    email = collected["NSPrivacyCollectedDataTypeEmailAddress"]
    assert email["NSPrivacyCollectedDataTypeLinked"] is True
    assert email["NSPrivacyCollectedDataTypeTracking"] is False
    # e-mail serves the contract, inquiries and service information: three Apple purposes
    # from the purposes' own categories, each once.
    assert email["NSPrivacyCollectedDataTypePurposes"] == [
        "NSPrivacyCollectedDataTypePurposeAppFunctionality",
        "NSPrivacyCollectedDataTypePurposeDeveloperAdvertising"]
    assert collected["NSPrivacyCollectedDataTypeAdvertisingData"][
        "NSPrivacyCollectedDataTypeTracking"] is True
    assert manifest["NSPrivacyTracking"] is True
    # business cards are mapped to no Apple type: not collected by the app
    assert len(collected) == len(manifest["NSPrivacyCollectedDataTypes"])


def test_the_data_safety_csv_lists_the_categories_and_what_is_shared(project):
    processing, mapping = labelled(project)
    rows = list(csv.reader(io.StringIO(store_labels.data_safety(processing, mapping)
                                       .decode("utf-8"))))
    assert tuple(rows[0]) == store_labels.GOOGLE_CSV_HEADER
    types = [row[1] for row in rows[1:] if row[0].startswith("PSL_DATA_TYPES_")]
    assert types == ["PSL_NAME", "PSL_EMAIL", "PSL_PHONE", "PSL_CREDIT_DEBIT_BANK_ACCOUNT_NUMBER",
                     "PSL_APPROX_LOCATION", "PSL_PRECISE_LOCATION", "PSL_PHOTOS",
                     "PSL_USER_INTERACTION", "PSL_DEVICE_ID"]
    shared = {row[0].split(":")[1] for row in rows[1:] if row[1] == "PSL_DATA_USAGE_ONLY_SHARED"}
    # the analytics providers are a third party receiving these; the processors share nothing
    assert shared == {"PSL_APPROX_LOCATION", "PSL_USER_INTERACTION", "PSL_DEVICE_ID"}
    assert ["PSL_DATA_USAGE_RESPONSES:PSL_EMAIL:DATA_USAGE_COLLECTION_PURPOSE",
            "PSL_ACCOUNT_MANAGEMENT", "true", "MULTIPLE_CHOICE",
            "Data usage and handling (Email address) / Why is this user data collected? / "
            "Account management"] in rows


BADGE = """    - id: badge-photo
      name:
        ja: 社員証の写真
        en: Badge photo
  purposes:
"""


def test_a_category_without_a_label_is_named_at_its_id(project, cli):
    with_processing(project, "  purposes:\n", BADGE)
    run = cli("validate", cwd=project.root)
    assert run.code == 0, run.err  # a draft: a warning while it is written
    assert "versions/2028-04-01.yaml:" in run.err
    assert "warning: category 'badge-photo' has no app store label; map it in " \
           "store-labels.yaml" in run.err
    policy = convert.load(project.source)
    published = dataclasses.replace(policy, versions=tuple(
        dataclasses.replace(v, status="published") for v in policy.versions))
    found = mapping_file.unmapped(published, mapping_file.read(project.source),
                                  convert.locator(project.source, {}))
    assert [(d.severity, d.message) for d in found] == [
        ("error", "category 'badge-photo' has no app store label")]  # the build fails


def test_an_unknown_store_name_is_located_with_the_likely_one(project):
    project.write("store-labels.yaml", project.read("store-labels.yaml").replace(
        "google: PSL_EMAIL\n", "google: PSL_EMIAL\n"))
    with pytest.raises(PolicyError) as raised:
        mapping_file.read(project.source)
    [problem] = raised.value.diagnostics
    assert problem.path.endswith("store-labels.yaml") and problem.line > 1
    assert problem.message == "'PSL_EMIAL' is not a name the store defines"
    assert problem.hint == "did you mean 'PSL_EMAIL'?"


def test_a_missing_linked_decision_is_refused(project):
    project.write("store-labels.yaml", project.read("store-labels.yaml").replace(
        "    google: PSL_PHONE\n    linked: true\n", "    google: PSL_PHONE\n", 1))
    with pytest.raises(PolicyError) as raised:
        mapping_file.read(project.source)
    assert "'phone' needs 'linked: true' or 'linked: false'" in str(raised.value)


def test_the_command_writes_both_files_and_the_site_publishes_them(project, cli):
    published_pair(project)
    out = project.root / "labels"
    run = cli("store-labels", "--version", "2028-06-01", "--out", str(out), cwd=project.root)
    assert run.code == 0, run.err
    manifest = plistlib.loads((out / "PrivacyInfo.xcprivacy").read_bytes())
    assert "NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising" in \
        {p for entry in manifest["NSPrivacyCollectedDataTypes"]
         for p in entry["NSPrivacyCollectedDataTypePurposes"]}  # the new purpose
    assert (out / "data-safety.csv").read_bytes().startswith(b"Question ID")
    assert cli("lock", cwd=project.root).code == 0
    site = project.build(as_of=dt.date(2028, 7, 1)).result.out_dir  # after the lock's day
    store = site / "api/v1/versions/2028-06-01/store"
    assert (store / "PrivacyInfo.xcprivacy").read_bytes() == \
        (out / "PrivacyInfo.xcprivacy").read_bytes()
    assert (store / "data-safety.csv").read_bytes() == (out / "data-safety.csv").read_bytes()
    assert (site / "api/v1/versions/2027-04-01/store/PrivacyInfo.xcprivacy").exists()
    assert not (site / "api/v1/versions/2018-07-06/store").exists()  # it states no processing


def test_the_examples_published_version_has_a_label_for_each_of_its_categories():
    from tests.helpers import ROOT

    policy = convert.load(ROOT / "policy_src")
    version = policy.version("2027-04-01")
    mapping = mapping_file.read(ROOT / "policy_src")
    assert version is not None and version.processing is not None and mapping is not None
    assert store_labels.unmapped(version.processing, mapping) == ()
    manifest = plistlib.loads(store_labels.privacy_manifest(version.processing, mapping))
    listed = {entry["NSPrivacyCollectedDataType"]
              for entry in manifest["NSPrivacyCollectedDataTypes"]}
    assert {APPLE[c.id] for c in version.processing.categories if c.id in APPLE} == listed
