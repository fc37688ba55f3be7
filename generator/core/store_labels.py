"""The app stores' privacy labels, made from a version's processing: Apple's privacy manifest
(PrivacyInfo.xcprivacy) and Google Play's Data safety answers (the Play Console's CSV).

Which store type a category is, and which store purpose a purpose serves, is the legal
team's reading of the stores' definitions: kept in the source (policy_src/store-labels.yaml,
source/store_labels.py reads it) beside the policy, never guessed here. What can be derived
is: which purposes use a category (the purposes' `categories`), and whether Google would call
it shared (a recipient that is not a processor receives it: Google's definition of sharing
leaves out service providers acting on the developer's behalf).

Apple's names are those of "Describing data use in privacy manifests" (Bundle Resources);
Google's are the machine-readable ids of the Play Console's Data safety CSV template.
"""
from __future__ import annotations

import csv
import io
import plistlib
from dataclasses import dataclass

APPLE_DATA_TYPES = tuple(f"NSPrivacyCollectedDataType{name}" for name in (
    "Name", "EmailAddress", "PhoneNumber", "PhysicalAddress", "OtherUserContactInfo",
    "Health", "Fitness", "PaymentInfo", "CreditInfo", "OtherFinancialInfo",
    "PreciseLocation", "CoarseLocation", "SensitiveInfo", "Contacts",
    "EmailsOrTextMessages", "PhotosorVideos", "AudioData", "GameplayContent",
    "CustomerSupport", "OtherUserContent", "BrowsingHistory", "SearchHistory", "UserID",
    "DeviceID", "PurchaseHistory", "ProductInteraction", "AdvertisingData",
    "OtherUsageData", "CrashData", "PerformanceData", "OtherDiagnosticData",
    "EnvironmentScanning", "Hands", "Head", "OtherDataTypes"))
APPLE_PURPOSES = tuple(f"NSPrivacyCollectedDataTypePurpose{name}" for name in (
    "ThirdPartyAdvertising", "DeveloperAdvertising", "Analytics", "ProductPersonalization",
    "AppFunctionality", "Other"))
# Google's data types, each with the question (its group) the Console asks it under and the
# label the Console shows, which the CSV repeats for people reading it.
GOOGLE_DATA_TYPES = {
    "PSL_NAME": ("PSL_DATA_TYPES_PERSONAL", "Personal info / Name"),
    "PSL_EMAIL": ("PSL_DATA_TYPES_PERSONAL", "Personal info / Email address"),
    "PSL_USER_ACCOUNT": ("PSL_DATA_TYPES_PERSONAL", "Personal info / User IDs"),
    "PSL_ADDRESS": ("PSL_DATA_TYPES_PERSONAL", "Personal info / Address"),
    "PSL_PHONE": ("PSL_DATA_TYPES_PERSONAL", "Personal info / Phone number"),
    "PSL_RACE_ETHNICITY": ("PSL_DATA_TYPES_PERSONAL", "Personal info / Race and ethnicity"),
    "PSL_POLITICAL_RELIGIOUS": ("PSL_DATA_TYPES_PERSONAL",
                                "Personal info / Political or religious beliefs"),
    "PSL_SEXUAL_ORIENTATION_GENDER_IDENTITY": ("PSL_DATA_TYPES_PERSONAL",
                                               "Personal info / Sexual orientation"),
    "PSL_OTHER_PERSONAL": ("PSL_DATA_TYPES_PERSONAL", "Personal info / Other info"),
    "PSL_CREDIT_DEBIT_BANK_ACCOUNT_NUMBER": ("PSL_DATA_TYPES_FINANCIAL",
                                             "Financial info / User payment info"),
    "PSL_PURCHASE_HISTORY": ("PSL_DATA_TYPES_FINANCIAL", "Financial info / Purchase history"),
    "PSL_CREDIT_SCORE": ("PSL_DATA_TYPES_FINANCIAL", "Financial info / Credit score"),
    "PSL_OTHER": ("PSL_DATA_TYPES_FINANCIAL", "Financial info / Other financial info"),
    "PSL_APPROX_LOCATION": ("PSL_DATA_TYPES_LOCATION", "Location / Approximate location"),
    "PSL_PRECISE_LOCATION": ("PSL_DATA_TYPES_LOCATION", "Location / Precise location"),
    "PSL_WEB_BROWSING_HISTORY": ("PSL_DATA_TYPES_SEARCH_AND_BROWSING",
                                 "Web browsing / Web browsing history"),
    "PSL_EMAILS": ("PSL_DATA_TYPES_EMAIL_AND_TEXT", "Messages / Emails"),
    "PSL_SMS_CALL_LOG": ("PSL_DATA_TYPES_EMAIL_AND_TEXT", "Messages / SMS or MMS"),
    "PSL_OTHER_MESSAGES": ("PSL_DATA_TYPES_EMAIL_AND_TEXT", "Messages / Other in-app messages"),
    "PSL_PHOTOS": ("PSL_DATA_TYPES_PHOTOS_AND_VIDEOS", "Photos and videos / Photos"),
    "PSL_VIDEOS": ("PSL_DATA_TYPES_PHOTOS_AND_VIDEOS", "Photos and videos / Videos"),
    "PSL_AUDIO": ("PSL_DATA_TYPES_AUDIO", "Audio files / Voice or sound recordings"),
    "PSL_MUSIC": ("PSL_DATA_TYPES_AUDIO", "Audio files / Music files"),
    "PSL_OTHER_AUDIO": ("PSL_DATA_TYPES_AUDIO", "Audio files / Other audio files"),
    "PSL_HEALTH": ("PSL_DATA_TYPES_HEALTH_AND_FITNESS", "Health and fitness / Health info"),
    "PSL_FITNESS": ("PSL_DATA_TYPES_HEALTH_AND_FITNESS", "Health and fitness / Fitness info"),
    "PSL_CONTACTS": ("PSL_DATA_TYPES_CONTACTS", "Contacts / Contacts"),
    "PSL_CALENDAR": ("PSL_DATA_TYPES_CALENDAR", "Calendar / Calendar events"),
    "PSL_CRASH_LOGS": ("PSL_DATA_TYPES_APP_PERFORMANCE", "App info and performance / Crash logs"),
    "PSL_PERFORMANCE_DIAGNOSTICS": ("PSL_DATA_TYPES_APP_PERFORMANCE",
                                    "App info and performance / Diagnostics"),
    "PSL_OTHER_PERFORMANCE": ("PSL_DATA_TYPES_APP_PERFORMANCE",
                              "App info and performance / Other app performance data"),
    "PSL_FILES_AND_DOCS": ("PSL_DATA_TYPES_FILES_AND_DOCS", "Files and docs / Files and docs"),
    "PSL_USER_INTERACTION": ("PSL_DATA_TYPES_APP_ACTIVITY", "App activity / App interactions"),
    "PSL_IN_APP_SEARCH_HISTORY": ("PSL_DATA_TYPES_APP_ACTIVITY",
                                  "App activity / In-app search history"),
    "PSL_APPS_ON_DEVICE": ("PSL_DATA_TYPES_APP_ACTIVITY", "App activity / Installed apps"),
    "PSL_USER_GENERATED_CONTENT": ("PSL_DATA_TYPES_APP_ACTIVITY",
                                   "App activity / Other user-generated content"),
    "PSL_OTHER_APP_ACTIVITY": ("PSL_DATA_TYPES_APP_ACTIVITY", "App activity / Other actions"),
    "PSL_DEVICE_ID": ("PSL_DATA_TYPES_IDENTIFIERS", "Device or other IDs / Device or other IDs"),
}
GOOGLE_PURPOSES = {
    "PSL_APP_FUNCTIONALITY": "App functionality",
    "PSL_ANALYTICS": "Analytics",
    "PSL_DEVELOPER_COMMUNICATIONS": "Developer communications",
    "PSL_FRAUD_PREVENTION_SECURITY": "Fraud prevention, security, and compliance",
    "PSL_ADVERTISING": "Advertising or marketing",
    "PSL_PERSONALIZATION": "Personalization",
    "PSL_ACCOUNT_MANAGEMENT": "Account management",
}
# The Play Console's Data safety CSV: its header, as the Console's exported template has it.
GOOGLE_CSV_HEADER = ("Question ID (machine readable)", "Response (machine readable)",
                     "Response value", "Answer requirement", "Human-friendly question label")


@dataclass(frozen=True, slots=True)
class CategoryLabel:
    """How one of the policy's data categories reads in the stores."""

    apple: tuple[str, ...]  # APPLE_DATA_TYPES
    google: tuple[str, ...]  # keys of GOOGLE_DATA_TYPES
    linked: bool  # Apple: linked to the user's identity
    tracking: bool  # Apple: used to track the user across other companies' apps and sites


@dataclass(frozen=True, slots=True)
class PurposeLabel:
    apple: tuple[str, ...]  # APPLE_PURPOSES
    google: tuple[str, ...]  # keys of GOOGLE_PURPOSES


@dataclass(frozen=True, slots=True)
class StoreMapping:
    categories: dict[str, CategoryLabel]  # by the policy's category id
    purposes: dict[str, PurposeLabel]  # by the policy's purpose id


@dataclass(frozen=True, slots=True)
class Collected:
    """One store data type the app collects, merged over the categories that map to it."""

    type: str
    purposes: tuple[str, ...]  # the store's purposes, sorted
    linked: bool = False
    tracking: bool = False
    shared: bool = False  # Google: transferred to a third party (not a processor)


def unmapped(processing: object, mapping: StoreMapping) -> tuple[tuple[str, str], ...]:
    """(list, id) of each category and purpose of the processing the mapping lacks."""
    return tuple([("categories", c.id) for c in _list(processing, "categories")
                  if c.id not in mapping.categories] +
                 [("purposes", p.id) for p in _list(processing, "purposes")
                  if p.id not in mapping.purposes])


def collected(processing: object, mapping: StoreMapping, store: str) -> tuple[Collected, ...]:
    """The store's data types the processing collects (`store` "apple" or "google"), in the
    store's order of types, each with the store purposes of the purposes that use it."""
    shared = {category for recipient in _list(processing, "recipients")
              if getattr(recipient, "kind", "") != "processor"
              for category in _categories_of(recipient, processing)}
    merged: dict[str, Collected] = {}
    for category in _list(processing, "categories"):
        label = mapping.categories.get(category.id)
        if label is None:
            continue
        purposes = {name for purpose in _list(processing, "purposes")
                    if category.id in getattr(purpose, "categories", ())
                    and purpose.id in mapping.purposes
                    for name in getattr(mapping.purposes[purpose.id], store)}
        for kind in getattr(label, store):
            was = merged.get(kind, Collected(kind, ()))
            merged[kind] = Collected(kind, tuple(sorted(set(was.purposes) | purposes)),
                                     was.linked or label.linked, was.tracking or label.tracking,
                                     was.shared or category.id in shared)
    order = APPLE_DATA_TYPES if store == "apple" else tuple(GOOGLE_DATA_TYPES)
    return tuple(merged[kind] for kind in order if kind in merged)


def _list(processing: object, name: str) -> tuple:
    return getattr(processing, name, None) or ()


def _categories_of(recipient: object, processing: object) -> tuple[str, ...]:
    """The categories a recipient receives: those it names, else those of its purposes."""
    named = tuple(getattr(recipient, "categories", ()) or ())
    if named:
        return named
    purposes = set(getattr(recipient, "purposes", ()) or ())
    return tuple(category for purpose in _list(processing, "purposes") if purpose.id in purposes
                 for category in getattr(purpose, "categories", ()))


def privacy_manifest(processing: object, mapping: StoreMapping) -> bytes:
    """Apple's PrivacyInfo.xcprivacy: the collected data types, as an XML property list.
    Tracking and the accessed APIs are the app's, not the policy's: the app's own manifest
    adds them (NSPrivacyTracking says false here only when no type is used for tracking)."""
    types = collected(processing, mapping, "apple")
    manifest = {
        "NSPrivacyTracking": any(t.tracking for t in types),
        "NSPrivacyCollectedDataTypes": [{
            "NSPrivacyCollectedDataType": t.type,
            "NSPrivacyCollectedDataTypeLinked": t.linked,
            "NSPrivacyCollectedDataTypeTracking": t.tracking,
            "NSPrivacyCollectedDataTypePurposes": list(t.purposes)} for t in types],
    }
    return plistlib.dumps(manifest, fmt=plistlib.FMT_XML, sort_keys=True)


def data_safety(processing: object, mapping: StoreMapping) -> bytes:
    """Google Play's Data safety answers for the data types, as rows of the Play Console's CSV
    (its import takes the whole form: the answers on security and deletion are the app's, and
    are added in the Console)."""
    rows: list[tuple[str, str, str, str, str]] = []
    types = collected(processing, mapping, "google")
    for t in types:
        question, label = GOOGLE_DATA_TYPES[t.type]
        rows.append((question, t.type, "true", "MULTIPLE_CHOICE", label))
    for t in types:
        usage = f"PSL_DATA_USAGE_RESPONSES:{t.type}"
        name = GOOGLE_DATA_TYPES[t.type][1].split(" / ")[-1]
        # Collected, shared, or both: two choices of one question, both ticked for both.
        for mode, answer in (("PSL_DATA_USAGE_ONLY_COLLECTED", "Collected"),
                             ("PSL_DATA_USAGE_ONLY_SHARED", "Shared"))[:2 if t.shared else 1]:
            rows.append((f"{usage}:PSL_DATA_USAGE_COLLECTION_AND_SHARING", mode, "true",
                         "MULTIPLE_CHOICE", f"Data usage and handling ({name}) / Is this data "
                         f"collected, shared, or both? / {answer}"))
        for purpose in t.purposes:
            rows.append((f"{usage}:DATA_USAGE_COLLECTION_PURPOSE", purpose, "true",
                         "MULTIPLE_CHOICE", f"Data usage and handling ({name}) / Why is this "
                         f"user data collected? / {GOOGLE_PURPOSES[purpose]}"))
            if t.shared:
                rows.append((f"{usage}:DATA_USAGE_SHARING_PURPOSE", purpose, "true",
                             "MULTIPLE_CHOICE", f"Data usage and handling ({name}) / Why is "
                             f"this user data shared? / {GOOGLE_PURPOSES[purpose]}"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as the Console exports it
    writer.writerow(GOOGLE_CSV_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
