"""The bad-input corpus: malformed and hostile sources, each made from the example by one
edit, each run through `policygen build` over an already built site. Every case must exit 2
with a `path:line:column` message at the right place, print no traceback, and leave the
previous site byte-for-byte as it was, with no temporary directory behind."""
from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import ROOT, V2018, V2027, copy_project

POLICY = "policy.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # the file the message must name, relative to policy_src/
    edit: Callable  # (project) -> None
    needle: str | None  # text at the reported place in `file`, or None for line 1 column 1
    message: str  # words the message must contain


def text_edit(file: str, old: str, new: str) -> Callable:
    return lambda project: project.replace(file, old, new)


def append(file: str, text: str) -> Callable:
    return lambda project: project.write(file, project.read(file) + text)


def raw(file: str, transform: Callable[[bytes], bytes]) -> Callable:
    def edit(project):
        path = project.path(file)
        path.write_bytes(transform(path.read_bytes()))
    return edit


def new_version(name: str, old: str, new: str) -> Callable:
    """A copy of the upcoming version under another file name, with one edit."""
    def edit(project):
        project.write(name, project.read(V2027).replace(old, new, 1))
    return edit


LOCK = "policy.lock"


def lock_steps(transform: Callable[[list[str]], list[str]], drop: str | None = None
               ) -> Callable:
    """policy.lock edited by hand: its step lines (one a line) transformed, and the entry of
    version `drop` deleted."""
    def edit(project):
        import json

        text = project.read(LOCK)
        head, _, tail = text.partition(',\n "steps": [\n')
        data = json.loads(head + "\n}")
        if drop:
            del data["versions"][drop]
        lines = [line.rstrip(",") for line in tail.splitlines() if line.startswith("  {")]
        project.write(LOCK, json.dumps(data, ensure_ascii=False, indent=1)[:-2] +
                      ',\n "steps": [\n' + ",\n".join(transform(lines)) + "\n ]\n}\n")
    return edit


def lock_format_1(project) -> None:
    import json

    data = json.loads(project.read(LOCK))
    data["format"] = 1
    del data["steps"]
    project.write(LOCK, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def never_committed(project) -> None:
    """A clone of a commit that recorded a text in policy.lock but left its file out."""
    import subprocess

    kept = ("published/2027-04-01/en/"
            "991ab8c6589c138c14f465cd2da094d052cd2461d77d45a93b65d4a9e0400a94.json")
    for command in (["init", "-q"], ["add", "-A"], ["rm", "-q", "--cached", kept],
                    ["-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-qm",
                     "lock"]):
        subprocess.run(["git", *command], cwd=project.source, check=True)
    project.path(kept).unlink()


LAUGHS = "lol: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{i}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8))
DEEP = "deep: " + "[" * 40 + "]" * 40 + "\n"

CASES = [
    Case("yaml-syntax-error", V2018, text_edit(V2018, "en: ISAO Corporation",
                                               'en: "ISAO Corporation'),
         None, "YAML"),
    Case("tab-indentation", V2018, text_edit(V2018, "  company:\n", "\tcompany:\n"),
         "\tcompany", "tab"),
    Case("duplicate-key", V2018, text_edit(V2018, "status: published\n",
                                           "status: published\nstatus: draft\n"),
         "status: draft", "duplicate key 'status'"),
    Case("billion-laughs", V2018, append(V2018, LAUGHS), "*a", "alias"),
    Case("python-tag", V2018, text_edit(V2018, "status: published",
                                        "status: !!python/object:os.system published"),
         "!!python", "tag"),
    Case("two-documents", V2018, append(V2018, "---\nid: x\n"), "---", "document"),
    Case("nul-byte", V2018, raw(V2018, lambda b: b.replace(b"ISAO Corporation",
                                                           b"ISAO\x00Corporation", 1)),
         "\x00Corporation", "NUL"),
    Case("control-character", V2018, raw(V2018, lambda b: b.replace(
        b"ISAO Corporation", b"ISAO\x07Corporation", 1)), "\x07Corporation", "control"),
    Case("escaped-control-character", V2018, text_edit(V2018, "en: ISAO Corporation",
                                                       'en: "ISAO\\u0007Corporation"'),
         '"ISAO', "escape for control character U+0007"),
    Case("invalid-utf8", V2018, raw(V2018, lambda b: b.replace(b"ISAO Corporation",
                                                               b"ISAO \xff\xfe", 1)),
         "\udcff", "UTF-8"),
    Case("huge-file", V2018, append(V2018, "# " + "x" * (1024 * 1024) + "\n"), None,
         "larger than"),
    Case("deep-nesting", V2018, append(V2018, DEEP), "[" * 17 + "]",
         "nesting deeper"),  # at the 24th bracket: with the file's mapping, level 25
    Case("utf-16-file", V2018, raw(V2018, lambda b: b.decode("utf-8").encode("utf-16")),
         None, "saved as UTF-16 (little-endian), not UTF-8"),
    Case("version-file-is-dev-zero", V2018, lambda project: (
        project.path(V2018).unlink(), project.path(V2018).symlink_to("/dev/zero")),
         None, "this is a device"),
    Case("version-file-is-a-fifo", V2018, lambda project: (
        project.path(V2018).unlink(), __import__("os").mkfifo(project.path(V2018))),
         None, "named pipe"),
    Case("policy-file-is-a-folder", POLICY, lambda project: (
        project.path(POLICY).unlink(), project.path(POLICY).mkdir()), None, "is a folder"),
    Case("lock-is-dev-zero", "policy.lock", lambda project: (
        project.path("policy.lock").unlink(), project.path("policy.lock").symlink_to(
            "/dev/zero")), None, "this is a device"),
    Case("id-windows-reserved", "versions/con.yaml",
         new_version("versions/con.yaml", "id: 2027-04-01\neffective_date: 2027-04-01",
                     "id: con\neffective_date: 2028-04-01"), "con", "Windows reserves"),
    Case("section-id-windows-reserved", V2027, text_edit(V2027, "- id: overview",
                                                         "- id: lpt1"),
         "lpt1", "Windows reserves"),
    Case("unknown-key", V2018, text_edit(V2018, "reconsent_required:", "reconsent_requird:"),
         "reconsent_requird", "did you mean 'reconsent_required'"),
    Case("missing-field", V2027, text_edit(V2027, "reconsent_required: false\n", ""),
         None, "missing the required field 'reconsent_required'"),
    Case("list-instead-of-text", V2018, text_edit(V2018, "en: ISAO Corporation",
                                                  "en: [ISAO, Corporation]"),
         "[ISAO", "must be text"),
    Case("impossible-date", V2027, text_edit(V2027, "effective_date: 2027-04-01",
                                             "effective_date: 2027-02-30"),
         "2027-02-30", "not a real date"),
    Case("id-not-file-name", V2027, text_edit(V2027, "id: 2027-04-01", "id: 2027-04-02"),
         "2027-04-02", "does not match its file name"),
    Case("id-escapes-output", "versions/escape.yaml",
         new_version("versions/escape.yaml", "id: 2027-04-01", "id: ../../../etc"),
         "../../../etc", "not a valid slug"),
    Case("id-case-collision", "versions/Draft.yaml",
         new_version("versions/Draft.yaml", "id: 2027-04-01", "id: Draft"),
         "Draft", "not a valid slug"),
    Case("id-reserved", "versions/index.yaml",
         new_version("versions/index.yaml", "id: 2027-04-01\neffective_date: 2027-04-01",
                     "id: index\neffective_date: 2028-04-01"), "index", "reserved"),
    Case("language-escapes-output", POLICY, text_edit(POLICY, "languages: [ja, en]",
                                                      "languages: [ja, ../en]"),
         "../en", "is not a language tag"),
    Case("language-uppercase", POLICY, text_edit(POLICY, "languages: [ja, en]",
                                                 "languages: [ja, EN]"),
         "EN", "not written in the conventional case"),
    Case("language-unknown", POLICY, text_edit(POLICY, "languages: [ja, en]",
                                               "languages: [ja, en, qq]"),
         "qq", "not known to CLDR"),
    Case("authoritative-not-listed", POLICY, text_edit(POLICY, "authoritative_language: ja",
                                                       "authoritative_language: fr"),
         "fr", "is not one of the policy's languages"),
    Case("missing-translation", V2018, text_edit(V2018, "    en: ISAO Corporation\n", ""),
         "ja: 株式会社ISAO", "has no 'en' translation"),
    # A version made published (for `lock`) while translated in part: a draft may be.
    Case("partial-translation-at-lock", "versions/2028-04-01.yaml", lambda project: project.write(
        "versions/2028-04-01.yaml", project.read(V2027).replace(
            "id: 2027-04-01\neffective_date: 2027-04-01", "id: 2028-04-01\neffective_date: "
            "2028-04-01").replace("      en: Overview\n", "")),
         "ja: 個人情報保護方針", "a published version is complete in every language it is "
         "published in"),
    Case("javascript-link", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with [the following](javascript:alert(1)) information"),
         "javascript:", "is not allowed"),
    Case("data-link", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with [the following](data:text/html;base64,PHNjcmlwdD4=) information"),
         "data:", "is not allowed"),
    Case("autolink-to-script", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with <vbscript:msgbox(1)> information"),
         "vbscript:", "is not allowed"),
    Case("bad-email", V2018, text_edit(V2018, "email: contact@goalous.com",
                                       "email: contact@goalous"),
         "contact@goalous", "not a valid email"),
    Case("bad-phone", V2018, text_edit(V2018, "- 0120-700-779", "- call us"),
         "call us", "not a valid phone"),
    Case("duplicate-section-id", V2018, text_edit(V2018, "- id: handling", "- id: overview"),
         "overview\n    title:\n      ja: 当社が", "used twice"),
    Case("section-id-reserved", V2018, text_edit(V2018, "- id: handling", "- id: pg-title"),
         "pg-title", "reserved for the pages' own anchors"),
    Case("same-effective-date", "versions/2027-05-01.yaml",
         new_version("versions/2027-05-01.yaml", "id: 2027-04-01", "id: 2027-05-01"),
         "2027-04-01", "take effect on the same day"),
    Case("empty-text", V2018, text_edit(V2018, "en: ISAO Corporation", 'en: ""'),
         '""', "is empty"),
    Case("heading-level-6", V2018, text_edit(V2018, "- id: scope\n    level: 2",
                                             "- id: scope\n    level: 6"),
         "6\n    title:\n      ja: 個人情報の範囲", "must be 1, 2, 3, 4 or 5, not 6"),
    Case("heading-level-skipped", V2018, text_edit(V2018, "- id: scope\n    level: 2",
                                                   "- id: scope\n    level: 3"),
         "3\n    title:\n      ja: 個人情報の範囲", "section 'scope' is at level 3 right after "
         "a section at level 1, which skips level 2; write 'level: 2'"),
    Case("section-id-too-long", V2018, text_edit(V2018, "- id: handling", "- id: " + "a" * 130),
         "a" * 130, "is 130 characters long; the limit is 128"),
    Case("unknown-status", V2027, text_edit(V2027, "status: published", "status: final"),
         "final", "must be draft or published"),
    Case("top-level-list", "versions/2027-05-01.yaml",
         lambda project: project.write("versions/2027-05-01.yaml", "- id: x\n"),
         None, "must be a mapping"),
    Case("published-text-edited", V2018, text_edit(V2018, "We deal with the following",
                                                   "We handle the following"),
         "handle the following", "differs from its locked text in section 'scope': "
         "'We deal with the…' became 'We handle the…'"),
    # A section of a published version deleted: named once, where it stood (at the section
    # that followed it), not as a text difference at the first section once per language.
    Case("published-section-deleted", V2018, lambda project: project.write(V2018, (
        lambda text: text[:text.index("\n  - id: scope\n")] +
        text[text.index("\n  - id: storage-location\n"):])(project.read(V2018))),
        "id: storage-location", "section 'scope' of published version 2018-07-06 was "
        "deleted (it stood before section 'storage-location')"),
    Case("published-long-section-edited-late", V2018,
         text_edit(V2018, "Users can delete cookies", "Users may delete cookies"),
         "may delete cookies", "in section 'cookies': '…Users can delete…' became "
         "'…Users may delete…'"),
    Case("published-ja-long-section-edited-late", V2018,
         text_edit(V2018, "その場合、インターネット上", "この場合、インターネット上"),
         "この場合、インターネット上", "(ja) differs from its locked text in section 'cookies'"),
    Case("published-effective-date-changed", V2027,
         text_edit(V2027, "effective_date: 2027-04-01", "effective_date: 2027-05-01"),
         "2027-05-01\nstatus", "the effective date of published version 2027-04-01 changed "
         "from 2027-04-01 to 2027-05-01; a date is not a correction"),
    Case("published-reconsent-changed", V2018,
         text_edit(V2018, "reconsent_required: false", "reconsent_required: true"),
         "true\nsummary", "whether users must consent again to published version 2018-07-06 "
         "changed from false to true"),
    Case("published-fact-changed", V2018,
         text_edit(V2018, "contact@goalous.com", "privacy@goalous.com"),
         "privacy@goalous.com", "in its facts: inquiry_desk.email changed from "
         "'contact@goalous.com' to 'privacy@goalous.com'; if this corrects a typo"),
    Case("published-summary-typo", V2018,
         text_edit(V2018, "and use of the service by children", "and use of the service by kids"),
         "kids", "(en) differs from its locked text in its summary: '…by children.' "
         "became '…by kids.'; a published text must not change"),
    Case("published-version-deleted", "policy.lock",
         lambda project: project.path(V2018).unlink(), '"2018-07-06"',
         "was deleted from the source"),
    Case("locked-language-removed", POLICY, text_edit(POLICY, "languages: [ja, en]",
                                                      "languages: [ja]"),
         "languages:", "a locked language can never be removed; keep 'en' in 'languages'"),
    Case("lock-damaged", "policy.lock", lambda project: project.write("policy.lock", "{]"),
         None, "policy.lock"),
    Case("policy-file-missing", POLICY, lambda project: project.path(POLICY).unlink(), None,
         "policy file not found"),
    # Text that YAML would cut, or read as something else than the legal team typed.
    Case("comment-cuts-text", V2018, text_edit(
        V2018, "en: We deal with the following information strictly",
        "en: We deal with the following information #1 priority strictly"),
         "#1 priority", "followed by a comment on the same line, so the text ends at "
                        "'...the following information'"),
    Case("comment-after-a-tab-cuts-text", V2018, text_edit(
        V2018, "en: We deal with the following information strictly",
        "en: We deal with the following information\t#1 priority strictly"),
         "#1 priority", "followed by a comment on the same line"),
    Case("text-starts-with-emphasis", V2018, text_edit(
        V2018, "en: We deal with the following", "en: *Important* We deal with the following"),
         "*Important*", "the text of 'en' starts with '*', which YAML reads as a reference"),
    Case("text-starts-with-ampersand", V2018, text_edit(
        V2018, "en: We deal with the following", "en: & we deal with the following"),
         "& we deal", "starts with '&'"),
    Case("text-starts-with-a-link", V2018, text_edit(
        V2018, "en: We deal with the following", "en: [We](#scope) deal with the following"),
         "[We](#scope)", "starts with '[', which YAML reads as the start of a list"),
    Case("fullwidth-space-indentation", V2018, text_edit(V2018, "  company:\n",
                                                         "\u3000 company:\n"),
         "\u3000 company", "full-width space (U+3000) in the indentation"),
    Case("fullwidth-colon-after-key", V2018, text_edit(V2018, "  company:\n",
                                                       "  company\uff1a\n"),
         "\uff1a\n    ja: 株式会社ISAO", "full-width colon '：' (U+FF1A) after the key 'company'"),
    # Characters that make readers see something else than the text (and its hash) holds.
    Case("c1-next-line", V2018, raw(V2018, lambda b: b.replace(
        b"ISAO Corporation", b"ISAO\xc2\x85Corporation", 1)), "\x85Corporation",
         "control character U+0085"),
    Case("lone-carriage-return", V2018, raw(V2018, lambda b: b.replace(
        b"ISAO Corporation", b"ISAO\rCorporation", 1)), "\rCorporation",
         "a carriage return (U+000D) without a line feed"),
    Case("zero-width-space", V2018, text_edit(V2018, "en: ISAO Corporation",
                                              "en: ISAO\u200bCorporation"),
         "\u200bCorporation", "U+200B (ZERO WIDTH SPACE) is not allowed"),
    Case("word-joiner", V2018, text_edit(V2018, "en: ISAO Corporation",
                                         "en: ISAO\u2060Corporation"),
         "\u2060Corporation", "U+2060 (WORD JOINER)"),
    Case("bidi-override", V2018, text_edit(V2018, "en: ISAO Corporation",
                                           "en: ISAO \u202enoitaroproC"),
         "\u202enoitaroproC", "bidirectional control character U+202E"),
    Case("bidi-isolate", V2018, text_edit(V2018, "en: ISAO Corporation",
                                          "en: ISAO \u2066Corporation\u2069"),
         "\u2066Corporation", "bidirectional control character U+2066"),
    Case("byte-order-mark-inside-text", V2018, text_edit(V2018, "en: ISAO Corporation",
                                                         "en: ISAO\ufeffCorporation"),
         "\ufeffCorporation", "U+FEFF"),
    Case("escaped-zero-width-space", V2018, text_edit(V2018, "en: ISAO Corporation",
                                                      'en: "ISAO\\u200bCorporation"'),
         '"ISAO', "escape for invisible character U+200B"),
    Case("escaped-bidi-override", V2018, text_edit(V2018, "en: ISAO Corporation",
                                                   'en: "ISAO \\u202enoitaroproC"'),
         '"ISAO', "escape for bidirectional control character U+202E"),
    # Links a reader would follow to nowhere.
    Case("link-to-missing-section", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with [the following](#cookie) information"),
         "#cookie)", "names no section of version 2018-07-06; did you mean '#cookies'?"),
    Case("tel-link-without-number", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with [the following](tel:abc) information"),
         "tel:abc", "does not hold a phone number"),
    Case("mailto-link-without-address", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with [the following](mailto:privacy) information"),
         "mailto:privacy", "does not hold an email address"),
    Case("web-link-without-site", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with [the following](https:/goalous.com) information"),
         "https:/goalous.com", "names no web site"),
    # Markup a reader would see as typed, or a table would lose.
    Case("table-row-with-a-cell-too-many", V2018, text_edit(
        V2018, "en: We deal with the following information strictly as personal information.",
        "en: |\n        We deal with the following information.\n\n"
        "        | Kind | Purpose |\n        |---|---|\n        | e-mail | contact | extra |"),
         "| e-mail | contact | extra |", "a table row has 3 cells where its header has 2 cells "
         "(in the 'en' text of 'body' of section 'scope'); give every row 2 cells"),
    Case("heading-inside-a-text", V2018, text_edit(
        V2018, "en: We deal with the following information strictly as personal information.",
        "en: |\n        We deal with the following information.\n\n        ### Kinds\n"),
         "### Kinds", "a heading ('### Kinds') cannot stand inside a text (in the 'en' text "
         "of 'body' of section 'scope'); make it a section of its own, with its id, its title "
         "and 'level: 3'"),
    Case("raw-html-line-break", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with the following<br>information"),
         "<br>", "raw HTML ('<br>') is not allowed (in the 'en' text of 'body' of section "
         "'scope'); for a line break, end the line with a backslash"),
    Case("raw-html-tag", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with the <b>following</b> information"),
         "<b>", "raw HTML ('<b>') is not allowed"),
    Case("image", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with ![the following](https://example.com/a.png) information"),
         "![", "images are not supported"),
    Case("code-span", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with the `following` information"),
         "`following", "code (`...`) is not supported"),
    Case("quotation", V2018, text_edit(
        V2018, "en: We deal with the following information strictly as personal information.",
        "en: |\n        We deal with:\n\n        > the following information\n"),
         "> the following", "a quotation ('> ...') is not supported"),
    Case("horizontal-rule", V2018, text_edit(
        V2018, "en: We deal with the following information strictly as personal information.",
        "en: |\n        We deal with:\n\n        ***\n\n        the following information\n"),
         "***", "a horizontal rule ('---') is not supported"),
    Case("relative-link-without-base", V2018, text_edit(
        V2018, "en: We deal with the following information",
        "en: We deal with [the following](terms/cookies) information"),
         "terms/cookies", "relative link to 'terms/cookies' in the 'en' text of 'body' of "
         "section 'scope' has no base to resolve against; set 'link_base: https://...' in "
         "policygen.yml"),
    # Messages that name what the legal team knows.
    Case("section-named-by-id", V2018, text_edit(V2018, "- id: scope\n    level: 2",
                                                 "- id: scope\n    levl: 2"),
         "levl", "unknown key 'levl' in section 'scope'"),
    Case("draft-with-copied-corrections", "versions/2028-04-01.yaml",
         new_version("versions/2028-04-01.yaml",
                     "id: 2027-04-01\neffective_date: 2027-04-01\nstatus: published",
                     # the copy carries 2027-04-01's corrections
                     "id: 2028-04-01\neffective_date: 2028-04-01\nstatus: draft"),
         "corrections:", "is a draft but lists corrections"),
    # A block shows only facts the version states, and a fact states something.
    Case("block-naming-a-fact-not-stated", V2018, text_edit(V2018, "block: officer",
                                                             "block: controllers"),
         "controllers", "states no 'controllers' in its facts"),
    Case("inquiry-desk-with-no-way-to-reach-it", V2018, lambda project: project.write(
        V2018, _without_lines(project.read(V2018), "  inquiry_desk:\n", ("    address:",
                                                                          "    email:"))),
         "name:\n      ja: 株式会社ISAO 個人情報相談窓口", "gives no way to reach it"),
    Case("empty-fact", V2018, lambda project: project.write(
        V2018, _without_lines(project.read(V2018), "  inquiry_desk:\n", ("    ",),
                              "  inquiry_desk: {}\n")),
         "{}", "'inquiry_desk' of 'facts' of version 2018-07-06 is empty"),
    Case("web-form-not-a-web-address", V2018, text_edit(
        V2018, "    email: contact@goalous.com\n",
        "    email: contact@goalous.com\n    form: javascript:alert(1)\n"),
         "javascript:alert(1)", "is not a valid web"),
    # The processing block (issue 26): each mistake at its place, before the lock is asked.
    Case("processing-unknown-category", V2027, text_edit(
        V2027, "categories: [name, business-card]\n      legal_basis: contract",
        "categories: [name, busines-card]\n      legal_basis: contract"),
         "busines-card", "'busines-card' names no item of processing's 'categories'"),
    Case("processing-purpose-without-category", V2027, text_edit(
        V2027, "      categories: [name, email]\n", ""),
         None, "purpose 'service-information' is missing the required field 'categories'"),
    Case("processing-transfer-without-country", V2027, text_edit(
        V2027, "    - country: US\n      safeguard: own_servers", "    - safeguard: own_servers"),
         "safeguard: own_servers", "is missing the required field 'country'"),
    Case("processing-unknown-country", V2027, text_edit(V2027, "country: US", "country: UK"),
         "UK\n", "'UK' is not an ISO 3166-1 alpha-2 country code"),
    Case("processing-duplicate-id", V2027, text_edit(V2027, "    - id: phone\n",
                                                     "    - id: email\n"),
         None, "categories id 'email' is used twice in processing"),
    Case("processing-period-not-iso-8601", V2027, text_edit(
        V2027, "    - purposes: [contract, business-partners]\n",
        "    - purposes: [contract, business-partners]\n      period: 30 days\n"),
         "30 days", "'30 days' is not a valid duration"),
    # policy.lock edited by hand: refused at the edited line, with the recovery.
    Case("lock-backdated-announcement", LOCK, text_edit(
        LOCK, '"announced": "2026-11-25"', '"announced": "2026-01-01"'),
         '"announced": "2026-01-01"', "its announcement date is 2026-01-01 in policy.lock, but "
         "step 2"),
    Case("lock-effective-date-changed", LOCK, text_edit(
        LOCK, '"effective_date": "2027-04-01"', '"effective_date": "2027-05-01"'),
         '"effective_date": "2027-05-01"', "its effective date is 2027-05-01 in policy.lock"),
    Case("lock-text-hash-changed", LOCK, text_edit(
        LOCK, '"sha256": "4b57faa765024da5462a25c218e970d4eaa978552fa4bf47377da69b9b356f08"',
        '"sha256": "' + "0" * 64 + '"'),
         '{\n     "correction": 1', "correction 1 of version 2027-04-01 was edited by hand"),
    Case("lock-steps-reordered", LOCK, lock_steps(lambda s: [s[0], s[2], s[1], *s[3:]]),
         '{"kind": "correction"', "does not follow the step before it"),
    Case("lock-version-entry-deleted", LOCK, lock_steps(lambda s: s, drop="2027-04-01"),
         '{"kind": "lock", "version": "2027-04-01"', "step 2 records the lock of version "
         "2027-04-01, which policy.lock no longer holds"),
    Case("lock-version-and-its-steps-deleted", LOCK, lock_steps(lambda s: s[:1],
                                                                drop="2027-04-01"),
         '{"kind": "lock", "version": "2018-07-06"', "keeps a published text of version "
         "2027-04-01 (en) that policy.lock does not record"),
    Case("lock-deleted", LOCK, lambda project: project.path(LOCK).unlink(), None,
         "policy.lock is missing, while policy_src/published/ keeps 8 published texts it "
         "recorded: it was deleted"),
    Case("lock-written-before-the-chain", LOCK, lock_format_1, None,
         "without the hash chain that makes a hand edit evident"),
    # git's conflict markers, as a merge leaves them.
    Case("merge-conflict-in-a-version-file", V2018, text_edit(
        V2018, "status: published\n", "<<<<<<< HEAD\nstatus: published\n=======\n"
        "status: draft\n>>>>>>> colleague\n"), "<<<<<<< HEAD", "a merge conflict: git's "
         "marker '<<<<<<<' starts the lines of one side (HEAD); take one side"),
    Case("merge-conflict-in-the-lock", LOCK, lock_steps(lambda s: [
        *s[:-1], "<<<<<<< HEAD\n" + s[-1] + "\n=======\n" + s[-1] + "\n>>>>>>> colleague"]),
         ">>>>>>> colleague", "git's marker '>>>>>>>' ends the lines of the other side "
         "(colleague); take the side that has both steps"),
    Case("lock-text-never-committed", LOCK, never_committed, '"2027-04-01": {',
         "991ab8c6589c138c14f465cd2da094d052cd2461d77d45a93b65d4a9e0400a94.json was never "
         "committed: the commit that recorded it in policy.lock left it out"),
    Case("store-label-unknown-name", "store-labels.yaml", text_edit(
        "store-labels.yaml", "google: PSL_EMAIL\n", "google: PSL_EMIAL\n"), "PSL_EMIAL",
         "'PSL_EMIAL' is not a name the store defines"),
    Case("category-without-store-label", V2027, text_edit(
        "store-labels.yaml", "  email:\n    apple: NSPrivacyCollectedDataTypeEmailAddress\n"
        "    google: PSL_EMAIL\n    linked: true\n    tracking: false\n", ""), "id: email",
         "category 'email' has no app store label"),
]


def _without_lines(text: str, after: str, starts: tuple[str, ...], instead: str = "") -> str:
    """`text` with the block under the line `after` rid of its lines starting with one of
    `starts` (with their more indented continuation lines); `instead` replaces `after`."""
    head, _, rest = text.partition(after)
    lines, kept, dropping = rest.split("\n"), [], False
    for number, line in enumerate(lines):
        if not line.startswith("    "):  # the block ended
            kept += lines[number:]
            break
        if line.startswith(starts) and not line.startswith("      "):
            dropping = True
        elif not line.startswith("      "):
            dropping = False
        if not dropping:
            kept.append(line)
    return head + (instead or after) + "\n".join(kept)


def place(project, case: Case) -> str:
    if case.needle is None:
        return ":"  # checked below: the message starts with path:line:column
    path = project.path(case.file)
    text = path.read_bytes().decode("utf-8", "surrogateescape") if path.exists() else ""
    if case.needle not in text:
        raise AssertionError(f"{case.name}: {case.needle!r} not in {case.file}")
    before = text[:text.index(case.needle)]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return f":{line}:{column}:"


@pytest.fixture(scope="module")
def built_example(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("corpus-base"))
    project.build()
    return project.root


def test_the_corpus_has_at_least_thirty_cases_with_distinct_names():
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_located_reported_and_changes_nothing(case, built_example, tmp_path,
                                                           cli):
    shutil.copytree(built_example, tmp_path / "project")
    from tests.helpers import Project

    project = Project(tmp_path / "project")
    site = project.root / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    case.edit(project)
    expected_place = place(project, case)
    run = cli("build", cwd=project.root)
    assert run.code == 2, run.err
    assert "Traceback" not in run.err and "Error:" not in run.err.split("\n")[0][:6]
    lines = [line for line in run.err.splitlines() if not line.startswith("policygen:")]
    shown = f"policy_src/{case.file}"
    matching = [line for line in lines if line.startswith(shown + ":") and
                case.message.lower() in line.lower()]
    assert matching, run.err
    head = matching[0][len(shown):]
    assert head.split(":")[1].isdigit() and head.split(":")[2].isdigit(), matching[0]
    assert head.startswith(expected_place), (expected_place, matching[0])
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in project.root.iterdir() if p.name.startswith(".policygen-")]


# --- The command line and the environment ---------------------------------------------------
# What a new user types around the source: output folders, dates, the environment, signals.
# Each must exit with its status and one clear line, change no file of the project, and leave
# the previous site byte-for-byte as it was.

@dataclass(frozen=True)
class CommandCase:
    name: str
    args: tuple[str, ...]
    message: str  # words the message must contain
    setup: Callable = lambda project: None
    environ: tuple[tuple[str, str], ...] = ()
    code: int = 2


def _make_file(name: str) -> Callable:
    def make(project):
        (project.root / name).parent.mkdir(parents=True, exist_ok=True)
        (project.root / name).write_text("notes\n", encoding="utf-8")
    return make


COMMAND_CASES = [
    CommandCase("out-is-the-project", ("build", "--out", "."), "is the project"),
    CommandCase("out-holds-the-project", ("build", "--out", ".."),
                "a folder holding the project"),
    CommandCase("out-is-the-source", ("build", "--out", "policy_src"), "is policy_src/"),
    CommandCase("out-inside-the-source", ("build", "--out", "policy_src/versions"),
                "a folder inside policy_src/"),
    CommandCase("out-is-the-catalogs", ("build", "--out", "locales"), "is locales/"),
    CommandCase("out-is-the-theme", ("build", "--out", "site_overrides"),
                "is site_overrides/"),
    CommandCase("out-is-a-foreign-folder", ("build", "--out", "notes"),
                "a folder policygen did not build", _make_file("notes/todo.txt")),
    CommandCase("out-site-holds-a-foreign-file", ("build",), "1 file policygen did not write, "
                "such as CNAME", _make_file("site/CNAME")),
    CommandCase("out-under-a-file", ("build", "--out", "afile/site"), "afile is a file",
                _make_file("afile")),
    CommandCase("out-impossible", ("build", "--out", "/proc/policygen-site"),
                "cannot write the site into /proc/policygen-site"),
    CommandCase("drafts-into-the-published-site", ("build", "--drafts"),
                "a preview must not go to 'site'"),
    CommandCase("source-date-epoch-not-a-number", ("build",), "SOURCE_DATE_EPOCH is "
                "'yesterday', not a time", environ=(("SOURCE_DATE_EPOCH", "yesterday"),)),
    CommandCase("source-date-epoch-too-large", ("build",), "not a time",
                environ=(("SOURCE_DATE_EPOCH", "9" * 30),)),
    CommandCase("as-of-not-a-real-date", ("build", "--as-of", "2026-02-30"),
                "'2026-02-30' is not a real date: February 2026 has 28 days"),
    CommandCase("as-of-no-such-month", ("build", "--as-of", "2026-13-01"), "no month 13"),
    CommandCase("show-before-any-version", ("show", "--as-of", "2010-01-01"),
                "no version was in force in 'ja' on 2010-01-01"),
    CommandCase("show-unknown-language", ("show", "--lang", "fr"), "no language 'fr'"),
    CommandCase("diff-day-before-any-version", ("diff", "2010-01-01", "2027-04-01"),
                "no version was in force on 2010-01-01"),
    CommandCase("jobs-negative", ("build", "--jobs", "-1"), "'-1' is not a number of jobs"),
    CommandCase("port-out-of-range", ("serve", "--port", "99999"), "'99999' is not a port"),
    # The engine's own configuration, the project's in place of the package's default: a
    # missing one is the default's, one that cannot stand in for it is named.
    CommandCase("engine-config-broken-link", ("build",), "mkdocs.yml:1:1: mkdocs.yml is a "
                "link to 'look.yml', which does not exist", lambda project: (
                    (project.root / "mkdocs.yml").unlink(),
                    (project.root / "mkdocs.yml").symlink_to("look.yml"))),
    CommandCase("engine-overrides-incomplete", ("build",), "site_overrides/ has no "
                "shared/main.html, which the pages need", lambda project:
                (project.root / "site_overrides/shared/main.html").unlink()),
    CommandCase("engine-config-not-yaml", ("build",), "mkdocs.yml:2:1: mkdocs.yml is not "
                "valid YAML", lambda project: (project.root / "mkdocs.yml").write_text(
                    "site_name: [\n", encoding="utf-8")),
    CommandCase("unknown-pdf-page-size", ("build",), "policygen.yml:1:16: unknown PDF page "
                "size 'Legal'; choose A4 or Letter", lambda project: (
                    project.root / "policygen.yml").write_text("pdf_page_size: Legal\n")),
    # verify: a site that is not the record's.
    CommandCase("verify-site-not-a-site", ("verify", "--site", "notes"), "notes holds no API "
                "index, so it is not a site policygen built", _make_file("notes/todo.txt")),
    CommandCase("verify-site-document-altered", ("verify", "--site", "site"), "the 'en' text "
                "of version 2018-07-06 is not the file the index lists", lambda project: (
                    project.root / "site/api/v1/versions/2018-07-06/en.json").write_bytes(b"{}")),
    CommandCase("settings-not-yaml", ("build",), "policygen.yml:2:1: YAML syntax error",
                lambda project: (project.root / "policygen.yml").write_text(
                    "site_url: [\n", encoding="utf-8")),
]


def _project_files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*")
            if p.is_file() and "site" not in p.relative_to(root).parts[:1]}


@pytest.mark.parametrize("case", COMMAND_CASES, ids=[case.name for case in COMMAND_CASES])
def test_bad_command_is_refused_clearly_and_changes_nothing(case, built_example, tmp_path,
                                                            cli, monkeypatch):
    from tests.helpers import Project

    shutil.copytree(built_example, tmp_path / "project")
    project = Project(tmp_path / "project")
    case.setup(project)
    files, site = _project_files(project.root), _site_files(project.root / "site")
    for name, value in case.environ:
        monkeypatch.setenv(name, value)
    run = cli(*case.args, cwd=project.root)
    assert run.code == case.code, run.err
    assert case.message in run.err, run.err
    assert "Traceback" not in run.err
    assert _project_files(project.root) == files
    assert _site_files(project.root / "site") == site
    assert not [p for p in project.root.rglob(".policygen-*") if p.is_dir()]


def _site_files(site: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_the_site_carries_a_marker_listing_every_file_policygen_wrote(built_example):
    site = built_example / "site"
    marker = (site / ".policygen-site").read_text(encoding="utf-8").splitlines()
    assert marker[0].startswith("policygen built this folder")
    assert marker[1:] == sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                                if p.is_file() and p.name != ".policygen-site")


@pytest.mark.slow
def test_a_build_may_replace_an_empty_folder_and_its_own_site(tmp_path, built_example, cli):
    shutil.copytree(built_example, tmp_path / "project")
    (tmp_path / "empty").mkdir()
    assert cli("build", "--out", str(tmp_path / "empty"), cwd=tmp_path / "project").code == 0
    assert cli("build", "--out", str(tmp_path / "empty"), cwd=tmp_path / "project").code == 0
    assert (tmp_path / "empty" / "en" / "index.html").is_file()


@pytest.mark.slow
def test_engine_failure_with_two_jobs_shows_the_engines_own_log(tmp_path, built_example, cli):
    shutil.copytree(built_example, tmp_path / "project")
    theme = tmp_path / "project" / "site_overrides" / "shared" / "main.html"
    theme.write_text(theme.read_text(encoding="utf-8") + "{% block broken %}\n",
                     encoding="utf-8")
    before = _site_files(tmp_path / "project" / "site")
    run = cli("build", "--jobs", "2", cwd=tmp_path / "project")
    assert run.code == 1, run.err
    assert "TemplateSyntaxError" in run.err and "main.html:" in run.err
    assert "BrokenProcessPool" not in run.err and "Traceback" not in run.err
    assert _site_files(tmp_path / "project" / "site") == before


def test_serve_on_a_port_in_use_says_so_and_leaves_no_folder(tmp_path, built_example, cli,
                                                             monkeypatch):
    import socket
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        run = cli("serve", "--port", port, cwd=built_example)
    assert run.code == 2, run.err
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use" in run.err
    assert "Traceback" not in run.err and list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("signal_name,code", [("SIGINT", 130), ("SIGTERM", 143)])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_build_exits_briefly_and_leaves_the_previous_site(
        signal_name, code, jobs, tmp_path, built_example):
    import os
    import signal
    import subprocess
    import sys
    import time

    shutil.copytree(built_example, tmp_path / "project")
    root = tmp_path / "project"
    before = _site_files(root / "site")
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", "--jobs", jobs],
                               cwd=root, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while not list(root.glob(".policygen-*/docs")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)  # the engine is running: the workspace exists
    process.send_signal(getattr(signal, signal_name))
    err = process.communicate(timeout=60)[1]
    assert process.returncode == code, err
    assert err.strip().splitlines() == [
        f"policygen: {'interrupted' if code == 130 else 'terminated'}; nothing was replaced "
        "and the previous site was left untouched"]
    assert _site_files(root / "site") == before
    assert not list(root.glob(".policygen-*"))


def test_a_ctrl_c_python_swallowed_still_stops_the_build_before_it_replaces_the_site(
        tmp_path, monkeypatch):
    """Python ignores an exception raised inside a weakref callback ("Exception ignored in
    ..."), as when Ctrl-C lands while a module is being imported: the build must still stop
    before the swap, leaving the previous site as it was."""
    import signal
    import weakref

    from generator.core import diagnostics
    from generator.site import output

    swallowed = []
    monkeypatch.setattr(sys, "unraisablehook", swallowed.append)
    previous_site, staged = tmp_path / "site", tmp_path / "work" / "site"
    for folder, text in ((previous_site, "old"), (staged, "new")):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(text)

    class Module:
        pass

    module = Module()
    watcher = weakref.ref(module, lambda _: diagnostics.stop_on_signal(signal.SIGINT, None))
    try:
        del module  # the callback runs and its KeyboardInterrupt goes nowhere
        assert watcher() is None
        assert [type(s.exc_value) for s in swallowed] == [KeyboardInterrupt]
        with pytest.raises(KeyboardInterrupt):
            output.swap_into_place(staged, previous_site, tmp_path / "work", ["index.html"])
    finally:
        diagnostics.forget_signals()
    assert (previous_site / "index.html").read_text() == "old"
    # no signal: it swaps
    output.swap_into_place(staged, previous_site, tmp_path / "work", ["index.html"])
    assert (previous_site / "index.html").read_text() == "new"


def test_comments_on_their_own_lines_and_after_non_text_values_stay_allowed(project, cli):
    project.replace(V2018, "status: published\n",
                    "# reviewed by legal\nstatus: published  # locked\n")
    project.replace(V2018, "- id: scope\n    level: 2",
                    "- id: scope  # stable id\n    level: 2  # sub")
    project.replace(V2018, "en: We deal with the following information strictly as personal "
                    "information.", "en: 'We deal with the following information strictly as "
                    "personal information.'  # quoted, so whole")
    run = cli("validate", cwd=project.root)
    assert run.code == 0, run.err


def test_reading_in_nfc_keeps_every_published_hash_of_the_example():
    """Text is normalized to NFC on reading; the example was typed in NFC, so the hashes its
    lock published (and consent records store) are exactly those computed today."""
    import json
    import unicodedata

    from generator.core import documents
    from generator.source.convert import load

    for path in (ROOT / "policy_src").rglob("*.yaml"):
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path
    policy = load(ROOT / "policy_src")
    locked = json.loads((ROOT / "policy_src" / "policy.lock").read_text(encoding="utf-8"))
    checked = 0
    for version in policy.versions:
        if version.id not in locked["versions"]:
            continue
        latest = locked["versions"][version.id]["revisions"][-1]["documents"]
        for language, entry in latest.items():
            computed = documents.version_document(policy.info, version, language).sha256
            assert computed == entry["sha256"], (version.id, language)
            checked += 1
    assert checked >= 4
