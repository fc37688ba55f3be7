"""policygen's command line: parse arguments, call the library, print results, exit."""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import importlib.metadata
import os
import re
import signal
import sys
from collections.abc import Callable
from concurrent.futures import BrokenExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from generator import build as pipeline
from generator.core.diagnostics import (
    EXIT_CHECK,
    EXIT_ENGINE,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_PIPE,
    EXIT_TERMINATED,
    Diagnostic,
    PolicyError,
    Terminated,
    UsageError,
    forget_signals,
    settle,
    stop_on_signal,
)
from generator.runtime.cache import Cache
from generator.site.engines import SiteBuildError
from generator.source.project import Project
from generator.source.read import display_path
from generator.source.settings import ENGINES

if TYPE_CHECKING:
    from generator.record.history import Stood

DEFAULT_OUT = Path("site")


def _date(text: str) -> dt.date:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD")
    year, month, day = map(int, match.groups())
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"'{text}' has no month {month}; months run from "
                                         "01 to 12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise argparse.ArgumentTypeError(f"'{text}' is not a real date: "
                                         f"{calendar.month_name[month]} {year} has {last} days")
    return dt.date(year, month, day)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: use a number from 1 to 65535")
    return int(text)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of jobs: use 1 or more")
    return int(text)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="policygen", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build a versioned, multilingual privacy-policy site from YAML source.",
        epilog="Run `policygen COMMAND --help` for a command's options and an example.\n"
               "--project and --source may also follow the command.")
    _global_options(main, "")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                   title="commands")

    def command(name: str, summary: str, description: str,
                *examples: str) -> argparse.ArgumentParser:
        made = commands.add_parser(
            name, help=summary, description=f"{summary[0].upper()}{summary[1:]}. {description}",
            epilog="example:\n" + "\n".join(f"  {e}" for e in examples),
            formatter_class=argparse.RawDescriptionHelpFormatter)
        _global_options(made.add_argument_group("global options (also accepted before "
                                                "the command)"), AFTER)
        return made

    new_version = command(
        "new-version", "start a draft version from the latest one (or --from ID)",
        "Copies the version file keeping its comments and layout; sets id and effective "
        "date, status: draft and reconsent_required: false; empties the summary and drops "
        "corrections and translation checks.", "policygen new-version 2028-04-01")
    new_version.add_argument("date", metavar="DATE", type=_date,
                             help="the new version's effective date, YYYY-MM-DD")
    new_version.add_argument("--from", dest="from_id", metavar="ID",
                             help="the version to start from (default: the latest)")
    new_version.add_argument("--id", dest="version_id", metavar="ID",
                             help="the new version's id (default: DATE)")

    validate = command("validate", "check the source and report every problem",
                       "Errors exit with status 2; warnings are printed and exit 0 unless "
                       "--strict.", "policygen validate --strict")
    _strict_option(validate)
    status = command("status", "show where every version stands and what to do next",
                     "One row per version: effective date, state, lock, corrections and "
                     "each translation's state; then the next steps.",
                     "policygen status --as-of 2028-01-01")
    status.add_argument("--as-of", type=_date, metavar="DATE",
                        help="the day to judge states by, the record as it stood then "
                        "(default: today)")
    status.add_argument("--format", choices=("text", "json"), default="text")

    translated = command("translations", "list stale, missing and checked translations",
                         "For every draft and the version in force: per language, a "
                         "completion figure and each place whose authoritative text changed "
                         "while the translation did not.", "policygen translations --lang en")
    translated.add_argument("--lang", help="one language (default: every translation)")
    translated.add_argument("--as-of", type=_date, metavar="DATE",
                            help="the day that decides the version in force (default: today)")

    compare = command("diff", "show what changed between two versions",
                      "Sections are aligned by id; wording is marked [-deleted-]{+inserted+}. "
                      "--format markdown pastes into a pull request; --format html is one "
                      "self-contained, printable file for counsel.",
                      "policygen diff 2018-07-06 2027-04-01 --lang en",
                      "policygen diff 2019-03-01 2027-04-01",
                      "policygen diff 2018-07-06 2027-04-01 --format html --out review.html")
    compare.add_argument("old", metavar="FROM", help="one version's id (usually the earlier), "
                         "or a day (YYYY-MM-DD): the version in force on it")
    compare.add_argument("new", metavar="TO", help="the other version's id, or a day")
    compare.add_argument("--lang", help="language (default: the authoritative one)")
    compare.add_argument("--format", choices=("text", "markdown", "html", "json"),
                         default="text")
    compare.add_argument("--out", type=Path, metavar="FILE",
                         help="write to FILE instead of printing")

    showing = command("show", "print the text in force on a day, exactly as it read then",
                      "The version in force on DATE, its text before any correction recorded "
                      "later, the SHA-256 of that text, and every step the lock recorded after "
                      "DATE (announcements, corrections, postponements, withdrawals).",
                      "policygen show --as-of 2019-03-01 --lang en",
                      "policygen show --as-of 2019-03-01 --format json")
    showing.add_argument("--as-of", type=_date, metavar="DATE",
                         help="the day asked about (default: today)")
    showing.add_argument("--lang", help="language (default: the authoritative one)")
    showing.add_argument("--format", choices=("text", "json"), default="text")

    serve = command("serve", "preview the site, rebuilding and reloading on every change",
                    "Serves on loopback; the open page reloads after each rebuild and shows "
                    "source problems in an overlay.", "policygen serve --drafts")
    _site_options(serve)
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")

    build = command("build", "build the static site",
                    "Builds beside the output and swaps it in only on success.",
                    "policygen build --as-of 2027-04-01 --out /tmp/site-2027")
    _site_options(build)
    build.add_argument("--out", type=Path, help="output directory (default: site); "
                       "policygen replaces it as a whole, so it must be new, empty or built "
                       "by policygen")
    _strict_option(build)

    locking = command("lock", "lock every published version not yet locked, or record a "
                      "correction of one", "Refuses a version without a summary or with "
                      "stale translations.", "policygen lock",
                      "policygen lock --correct 2018-07-06")
    locking.add_argument("--correct", metavar="ID", help="record the correction of published "
                         "version ID (after adding a 'corrections' entry to its file)")
    locking.add_argument("--also", metavar="ID", nargs="+", default=[], help="with --correct: "
                         "record the same correction in these later versions too")
    locking.add_argument("--postpone", metavar="ID", help="record the postponement of "
                         "announced version ID (after adding a 'postponements' entry and "
                         "moving its effective_date later)")
    locking.add_argument("--withdraw", metavar="ID", help="record the withdrawal of announced "
                         "version ID (after adding a 'withdrawal' entry to its file)")

    _strict_option(locking)
    checking = command("check", "check a version against the policy's compliance checklists",
                       "Lists each item of the checklists policy.yaml names (e.g. appi-2022) "
                       "and the section or fact its 'coverage' says gives it; exits 1 when "
                       "an item is missing or unmapped.", "policygen check",
                       "policygen check --version 2018-07-06 --format json")
    checking.add_argument("--version", metavar="ID", help="the version to check (default: "
                          "the newest, drafts included)")
    checking.add_argument("--format", choices=("table", "json"), default="table")

    verifying = command("verify", "check the whole record, and a built or deployed site "
                        "against it", "Checks the lock's hash chain, every kept text against "
                        "its hash and every published version's source against its locked "
                        "hash; with --site, that the site's API documents, index and PDFs are "
                        "the record's. Exits 2 on any difference.", "policygen verify",
                        "policygen verify --site site")
    verifying.add_argument("--site", type=Path, metavar="DIR", help="a built or deployed "
                           "site folder to check against the record")

    labels = command(
        "store-labels", "write a version's app store privacy labels into DIR",
        "Apple's privacy manifest (PrivacyInfo.xcprivacy) and Google Play's Data safety "
        "answers (data-safety.csv, for the Play Console's import), made from the version's "
        "processing and the mapping of its categories and purposes to the stores' types in "
        "SOURCE/store-labels.yaml. The site publishes the same files under "
        "api/v1/versions/ID/store/.", "policygen store-labels --out store",
        "policygen store-labels --version 2027-04-01 --out store")
    labels.add_argument("--version", metavar="ID", help="the version (default: the newest, "
                        "drafts included)")
    labels.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="the folder to write the two files into (made if missing)")

    command("schema", "write the source files' JSON Schemas for editors into SOURCE/schema/",
            "Run it after changing the languages in policy.yaml.", "policygen schema")

    init = command("init", "start a new project in DIR: policy_src/ with a first draft",
                   "Writes policy.yaml and a draft whose texts say REPLACE: (validate warns "
                   "about them, lock refuses them); the site's look, theme and interface "
                   "strings are policygen's own until the project adds its own mkdocs.yml, "
                   "site_overrides/ or locales/. Asks for what is missing on a terminal.",
                   "policygen init acme-policy --company 'Acme Inc.' --languages en,fr "
                   "--authoritative en --timezone America/New_York --checklists gdpr-13-14")
    init.add_argument("dir", metavar="DIR", type=Path, help="the new project's folder")
    init.add_argument("--company", help="the company's name, as the policy states it")
    init.add_argument("--languages", help="the policy's languages, comma-separated (en,fr)")
    init.add_argument("--authoritative", metavar="LANG",
                      help="the language whose text prevails (default: the first)")
    init.add_argument("--timezone", metavar="AREA/CITY",
                      help="the time zone effective dates begin in, e.g. Europe/Paris")
    init.add_argument("--checklists", default=None, metavar="ID,...", help="compliance "
                      "checklists the policy must satisfy: appi-2022, gdpr-13-14")

    importing = command(
        "import", "make a version of the policy from its published Markdown or HTML",
        "One section per heading (its level kept, its id from its anchor), the text before "
        "the first heading kept, tables, lists, emphasis and links kept; whatever cannot be "
        "kept is reported at its line in FILE. --into adds FILE as a translation of a draft.",
        "policygen import privacy.md --lang en --effective-date 2023-04-20 --published",
        "policygen import privacy.fr.html --lang fr --into 2027-01-01")
    importing.add_argument("file", metavar="FILE", type=Path,
                           help="the policy as Markdown (.md) or HTML (.html)")
    importing.add_argument("--lang", required=True, help="the language FILE is written in")
    importing.add_argument("--effective-date", type=_date, metavar="DATE",
                           help="the day the text takes (or took) effect")
    importing.add_argument("--id", dest="version_id", metavar="ID",
                           help="the version's id (default: DATE)")
    importing.add_argument("--published", action="store_true", help="a text already "
                           "published in the past: status published, no summary asked for")
    importing.add_argument("--into", metavar="ID", help="add FILE as the LANG text of this "
                           "existing draft, aligned by section id, else by order")
    importing.add_argument("--link-base", metavar="URL", help="the address FILE was "
                           "published at: relative links are resolved against it")
    importing.add_argument("--link-root", metavar="URL", help="where links from the root "
                           "(/terms) lead, e.g. a repository's root (default: the site of "
                           "--link-base)")
    return main


# The global options given after the command land under these names, so that the same
# option given on both sides can be told apart (argparse would let the later one win).
AFTER = "after_"
GLOBAL_OPTIONS = ("project", "source")


def _global_options(options: argparse.ArgumentParser | argparse._ArgumentGroup,
                    prefix: str) -> None:
    # No defaults here: an option left out is None on both sides; _globals fills them in.
    options.add_argument("--project", dest=prefix + "project", type=Path, metavar="PROJECT",
                         help="project root holding mkdocs.yml, policy_src/ and locales/ "
                              "(default: the current directory)")
    options.add_argument("--source", dest=prefix + "source", type=Path, metavar="SOURCE",
                         help="policy source directory (default: PROJECT/policy_src)")


def _globals(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """--project and --source, from before or after the command; UsageError when both
    sides give one different values."""
    chosen: dict[str, Path | None] = {}
    for name in GLOBAL_OPTIONS:
        before, after = getattr(args, name), getattr(args, AFTER + name, None)
        if before is not None and after is not None and before != after:
            raise UsageError(f"--{name} is given twice, {before.as_posix()} before "
                             f"{args.command} and {after.as_posix()} after it",
                             f"give --{name} once")
        chosen[name] = before if before is not None else after
    return chosen["project"] or Path("."), chosen["source"]


def _strict_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--strict", action="store_true", help="treat warnings as errors: "
                         "fail (exit 2) when any is found")


def _site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--as-of", type=_date, metavar="DATE", help="build the site as it "
                         "stands on DATE (default: SOURCE_DATE_EPOCH, else today)")
    command.add_argument("--drafts", action="store_true", help="include draft versions, "
                         "clearly marked (preview only; never publish such a build)")
    command.add_argument("--verbose", action="store_true", help="show the site engine's log")
    command.add_argument("--jobs", type=_jobs, help="parallel site-engine builds "
                         "(default: one per core)")
    command.add_argument("--engine", choices=ENGINES, help="the site engine (default: "
                         "policygen.yml's engine, else mkdocs)")


def main(argv: list[str] | None = None) -> int:
    try:
        try:
            return _main(argv)
        finally:  # flushed here (`--help` too), so a closed pipe is found here, not at exit
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped reading (`policygen status | head`): stop quietly, as Unix tools
        # do, and point stdout at nothing so that Python's own flush at exit finds no pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    try:
        project = Project.at(*_globals(args))
    except UsageError as error:
        code, lines = failure(error)
        print(*lines, sep="\n", file=sys.stderr)
        return code
    forget_signals()
    previous = {number: signal.signal(number, stop_on_signal)
                for number in (signal.SIGINT, signal.SIGTERM)}
    previous_hook, sys.unraisablehook = sys.unraisablehook, _unraisable
    try:
        return _run(project, args)
    except KeyboardInterrupt as interruption:
        terminated = isinstance(interruption, Terminated)
        print(f"policygen: {'terminated' if terminated else 'interrupted'}; nothing was "
              "replaced and the previous site was left untouched", file=sys.stderr)
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sys.unraisablehook = previous_hook


def _unraisable(unraisable) -> None:
    """A signal's exception that Python could not raise (see diagnostics.stop_on_signal) is
    acted on before the site is replaced: no "Exception ignored" traceback for it."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)


def _run(project: Project, args: argparse.Namespace) -> int:
    try:
        return _COMMANDS[args.command](project, args)
    except FAILURES as error:
        code, lines = failure(error, _UNDONE.get(args.command, "nothing was built"))
        for line in lines:
            print(line, file=sys.stderr)
        return code


# What a command may fail with, the user's to act on; anything else is a bug and shows its
# traceback.
FAILURES = (PolicyError, UsageError, SiteBuildError, BrokenExecutor)


def failure(error: Exception, undone: str = "nothing was built") -> tuple[int, list[str]]:
    """The exit status and the lines that explain one of FAILURES: the one error path of
    every command, `serve`'s rebuilds included."""
    if isinstance(error, PolicyError):
        count = len(error.diagnostics)
        because = " (warnings are errors with --strict)" if error.strict else ""
        return EXIT_INPUT, [*map(str, error.diagnostics),
                            f"policygen: {count} problem{'s' if count != 1 else ''} found"
                            f"{because}; {undone}"]
    if isinstance(error, UsageError):
        return EXIT_INPUT, [f"policygen: {error}"]
    if isinstance(error, SiteBuildError):
        return EXIT_ENGINE, [*error.log, f"policygen: the site engine failed for language "
                             f"'{error.language}'; the previous site was left untouched"]
    if isinstance(error, BrokenExecutor):
        # A worker process killed from outside: most often by the kernel, out of memory.
        return EXIT_ENGINE, ["policygen: a worker process of the build was killed (out of "
                             "memory?); the previous site was left untouched; build again, "
                             "with fewer processes (--jobs 1) if memory is short"]
    raise TypeError(f"not a failure of a command: {error!r}")


def _serve(project: Project, args: argparse.Namespace) -> int:
    from generator.serve import serve  # imported only when serving: it starts an HTTP server

    return serve(project, args, failure)


_UNDONE = {"lock": "nothing was locked", "new-version": "nothing was written",
           "schema": "nothing was written", "init": "nothing was written",
           "import": "nothing was written", "verify": "the record does not verify"}


def warn(warnings: tuple[Diagnostic, ...]) -> None:
    """Print warnings where errors go, so they are seen and never mistaken for output."""
    for diagnostic in warnings:
        print(diagnostic, file=sys.stderr)


def _validate(project: Project, strict: bool) -> int:
    kept = Cache(project.cache)
    source = pipeline.read_source(project, kept)
    policy = source.policy
    published = [version for version in policy.versions if version.status == "published"]
    warnings = pipeline.check(project, source, pipeline.version_documents(policy, published, kept),
                              _today(policy), strict)
    kept.commit()
    warn(warnings)
    versions = len(policy.versions)
    noted = f"; {len(warnings)} warning{'s' * (len(warnings) != 1)}" if warnings else ""
    print(f"{display_path(project.source)}: OK ({versions} version{'s' * (versions != 1)}, "
          f"{_count(len(policy.info.languages), 'language')}{noted})")
    for language in policy.info.languages:
        without = [version.id for version in policy.versions
                   if language not in version.languages()]
        if without:
            print(f"'{language}' is not in version{'s' * (len(without) != 1)} "
                  f"{', '.join(without)} (locked before '{language}' was added): its "
                  f"archive lists {'them' if len(without) != 1 else 'it'} as not available, "
                  f"linking the '{policy.info.authoritative_language}' text")
    return 0


def _lock(project: Project, args: argparse.Namespace) -> int:
    from generator.checks import lint, reconsent
    from generator.record import store as lockstore

    if args.also and not args.correct:
        raise UsageError("--also needs --correct ID: the version whose correction it repeats")
    source = pipeline.read_source(project)
    policy, locate, locked = source.policy, source.locate, source.locked
    _named_versions(policy, args)
    # Publishing needs a summary and translations that follow the authoritative text.
    settle([problem for version in policy.versions
            if version.status == "published" and (
                version.id == args.correct or (args.correct is None and
                                               version.id not in pipeline.locked_ids(locked)))
            for problem in lint.publish_blockers(policy, version, locate, _today(policy))])
    # A version widening the processing should ask for consent again, or say why not.
    widening = [problem for version in policy.versions
                if version.status == "published" and version.id not in pipeline.locked_ids(locked)
                for problem in reconsent.warnings(policy, version, locate)]
    warn(settle(pipeline.warnings(project, source, _today(policy)) + widening, args.strict))
    today = _today(policy)
    before = _text_before(project, policy, locked, args.correct)
    done = lockstore.record(policy, project.source, locate, today, args.correct,
                            tuple(args.also), args.postpone, args.withdraw)
    for line in done or ["nothing to lock: every published version is locked"]:
        print(line)
    if before is not None:
        _warn_hidden(policy, before)
    if done:
        print(f"commit {display_path(project.source / lockstore.LOCK_FILE)} and "
              f"{display_path(project.source / lockstore.PUBLISHED_DIR)}/ with the source")
    return 0


def _text_before(project: Project, policy, locked, version_id: str | None):
    """The version `lock --correct` corrects, as its latest locked text reads (None when
    nothing is corrected, or the text is not kept)."""
    from generator.core import documents
    from generator.record import store as lockstore

    entry = locked.versions.get(version_id) if locked and version_id else None
    if entry is None or version_id is None:
        return None
    read = lockstore.reader(project.source)
    texts = {language: read(version_id, language, text.sha256)
             for language, text in entry.latest.documents.items()}
    if any(text is None for text in texts.values()):
        return None
    return documents.read_version(texts)  # type: ignore[arg-type]


def _warn_hidden(policy, before) -> None:
    """A correction that makes a later version's stale translation look up to date."""
    from babel import Locale

    from generator.checks import translations

    for found in translations.hidden_by_correction(policy, before):
        name = Locale.parse(found.language, sep="-").english_name
        print(f"warning: this correction gave {found.place.name} of version {before.id} the "
              f"wording of {found.version}, while {found.version}'s {name} text of it reads as "
              f"{before.id}'s did before: it was stale before the correction ({found.change}) "
              "and its redline would undo the correction; `policygen translations` no longer "
              f"reports it: translate it in {found.version}", file=sys.stderr)


def _named_versions(policy, args: argparse.Namespace) -> None:
    """Every version `lock` is told to change exists, and --also names others than the one
    corrected, each once: argument mistakes, said as such before anything is read further."""
    known = [version.id for version in policy.versions]
    for option, wanted in (("--correct", [args.correct]), ("--also", args.also),
                           ("--postpone", [args.postpone]), ("--withdraw", [args.withdraw])):
        for version_id in wanted:
            if version_id is not None and version_id not in known:
                raise UsageError(f"{option} {version_id}: no version '{version_id}'",
                                 "the versions are " + ", ".join(known))
    if args.correct in args.also:
        raise UsageError(f"--also {args.correct} names the version --correct already corrects",
                         "list only the later versions that carry the same passage")
    twice = sorted({v for v in args.also if args.also.count(v) > 1})
    if twice:
        raise UsageError(f"--also names {', '.join(twice)} more than once",
                         "name each version once")


def _today(policy, as_of: dt.date | None = None) -> dt.date:
    return pipeline.resolve_as_of(as_of, dict(os.environ), dt.datetime.now(dt.UTC),
                                  policy.info.timezone)


def _init(args: argparse.Namespace) -> int:
    from generator.checks import compliance
    from generator.core import i18n
    from generator.source import start, workflow

    known = compliance.read_checklists(args.dir / "policy_src")
    answers = _asked(args, {
        "company": "The company's name, as the policy states it",
        "languages": "The policy's languages, comma-separated (e.g. en,fr)",
        "timezone": "The time zone effective dates begin in (e.g. America/New_York)"})
    listed = tuple(tag.strip() for tag in answers["languages"].split(",") if tag.strip())
    authoritative = args.authoritative or (listed[0] if listed else "")
    if args.authoritative is None and len(listed) > 1 and sys.stdin.isatty():
        authoritative = input(f"The language whose text prevails [{listed[0]}]: ").strip() \
            or listed[0]
    checklists = args.checklists
    if checklists is None and sys.stdin.isatty():
        checklists = input(f"Checklists to satisfy, comma-separated ({', '.join(known)}; "
                           "empty for none): ")
    choices = start.Choices(answers["company"], listed, authoritative, answers["timezone"],
                            tuple(name.strip() for name in (checklists or "").split(",")
                                  if name.strip())).checked(known)
    project = Project.at(args.dir)
    gettext = {language: i18n.read_catalog(project.locales, language).gettext
               for language in choices.languages}
    items = tuple({item.id: (item.id, item.asks) for name in choices.checklists
                   for item in known[name].items if not item.conditional}.values())
    today = dt.date.today()
    written = start.write(args.dir, choices, gettext, today, items)
    for path in written:
        print(f"wrote {display_path(path)}")
    publishing = workflow.write(args.dir, choices.timezone, today,
                                importlib.metadata.version("policygen"))
    _, when = workflow.daily_cron(choices.timezone, today.year)
    if publishing is None:
        print(f"kept {display_path(args.dir / workflow.WORKFLOW)}: the project's own, "
              "not replaced")
    else:
        print(f"wrote {display_path(publishing)}: GitHub Actions validates every pull "
              f"request, publishes main to GitHub Pages and rebuilds daily ({when})")
    print(f"next: replace the texts that say {start.PLACEHOLDER} in {display_path(written[1])}"
          f" (or policygen import FILE --project {display_path(args.dir)}, the policy"
          " published today),"
          f" then policygen validate --project {display_path(args.dir)}")
    return 0


def _asked(args: argparse.Namespace, questions: dict[str, str]) -> dict[str, str]:
    """Each option given, or asked for on a terminal; without one, UsageError naming them."""
    missing = [name for name in questions if getattr(args, name) is None]
    if missing and not sys.stdin.isatty():
        raise UsageError(f"missing {', '.join('--' + name for name in missing)}",
                         "pass them, or run policygen init on a terminal to be asked")
    return {name: getattr(args, name) if getattr(args, name) is not None else
            input(f"{question}: ").strip() for name, question in questions.items()}


def _import(project: Project, args: argparse.Namespace) -> int:
    from generator.core import i18n
    from generator.source import imports

    if (args.into is None) == (args.effective_date is None):
        raise UsageError("pass --effective-date DATE for a new version, or --into ID to "
                         "add a translation to a draft", "policygen import --help shows both")
    from generator.record import store as lockstore

    introduction = i18n.read_catalog(project.locales, args.lang).gettext(imports.INTRODUCTION)
    result = imports.import_file(project.source, args.file, args.lang, introduction,
                                 args.effective_date, args.version_id, args.published,
                                 args.into, imports.Links(args.link_base, args.link_root,
                                               pipeline.settings_for(project).link_base),
                                 (project.source / lockstore.LOCK_FILE).exists())
    warn(result.diagnostics)
    count = len(result.diagnostics)
    print(f"wrote {display_path(result.path)}: {result.summary}")
    if count:
        print(f"{count} place{'s' * (count != 1)} of {display_path(args.file)} could not be "
              f"kept as written (above): check {'them' if count != 1 else 'it'} in the "
              "version file")
    if result.replaces is not None:
        print(f"next: delete {display_path(result.replaces)}, the draft policygen init "
              "wrote: its facts are in this version now, its texts are placeholders")
    for language in result.untranslated:
        print(f"next: policygen import FILE --lang {language} --into {result.path.stem}, "
              f"its '{language}' text")
    print("next: " + ("policygen lock, which records the published text, then policygen "
                      "validate" if args.published else "policygen validate; set status: "
                      "published once the draft is the text to publish"))
    return 0


def _new_version(project: Project, args: argparse.Namespace) -> int:
    from generator.source.new_version import start

    path, base = start(pipeline.read_source(project).policy, project.source, args.date,
                       args.from_id, args.version_id)
    new_id = path.stem
    print(f"wrote {display_path(path)}: a draft copied from {base}\n"
          f"next:\n"
          f"  1. edit it: the text in every language, and a summary of what changed\n"
          f"  2. policygen translations      which translations the edit left stale\n"
          f"  3. policygen serve --drafts    preview; policygen diff {base} {new_id} "
          f"--format html --out review.html for review\n"
          f"  4. set status: published, then policygen lock, and commit")
    return 0


def _status(project: Project, args: argparse.Namespace) -> int:
    import json

    from generator.checks import status

    stood = _stood(project, args.as_of)
    rows = status.statuses(stood.policy, pipeline.locked_ids(stood.locked), stood.day)
    if args.format == "json":
        print(json.dumps(status.to_json(rows), ensure_ascii=False, indent=2))
    else:
        print(status.to_text(rows), end="")
    return 0


def _stood(project: Project, as_of: dt.date | None) -> Stood:
    """The record as it stood on the day (today by default), once the lock and every kept
    text it reads are checked."""
    from generator.record import history
    from generator.record import store as lockstore

    source = pipeline.read_source(project)
    lockstore.verify(source.policy, source.locked, project.source, source.locate)
    return history.as_it_stood(source.policy, source.locked, _today(source.policy, as_of),
                               lockstore.reader(project.source))


def _show(project: Project, args: argparse.Namespace) -> int:

    from generator.outputs import in_force
    from generator.record import history
    from generator.record import store as lockstore

    stood = _stood(project, args.as_of)
    policy = pipeline.read_source(project).policy
    language = args.lang or policy.info.authoritative_language
    if language not in policy.info.languages:
        raise UsageError(f"no language '{language}'; the languages are "
                         f"{', '.join(policy.info.languages)}")
    answer = history.in_force(stood, language)
    if answer is None:
        raise UsageError(f"no version was in force in '{language}' on {stood.day}",
                         "the first took effect on " + next(
                             (str(v.effective_date) for v in policy.versions
                              if v.status == "published"), "no day yet"))
    document = lockstore.reader(project.source)(answer.version.id, language, answer.sha256)
    assert document is not None  # verified by _stood
    form = in_force.to_json if args.format == "json" else in_force.to_text
    print(form(answer, document, policy), end="")
    return 0


def _translations(project: Project, args: argparse.Namespace) -> int:
    from generator.checks import status, translations

    source = pipeline.read_source(project)
    policy, locate = source.policy, source.locate
    languages = translations.translated_languages(policy)
    if args.lang is not None:
        if args.lang not in languages:
            raise UsageError(f"'{args.lang}' is not a translation of this policy; the "
                             f"translations are {', '.join(languages)}")
        languages = (args.lang,)
    today = _today(policy, args.as_of)
    shown = tuple((version, status.version_state(policy, version, today))
                  for version in policy.versions)
    shown = tuple((v, state) for v, state in shown if state in ("draft", "in force"))
    print(translations.report(policy, shown, languages, locate), end="")
    return 0


def _check(project: Project, args: argparse.Namespace) -> int:
    import json

    from generator.checks import compliance

    policy = pipeline.read_source(project).policy
    version = policy.version(args.version) if args.version else \
        (policy.versions[-1] if policy.versions else None)
    if version is None:
        raise UsageError(f"no version '{args.version}'", "the versions are " +
                         ", ".join(v.id for v in policy.versions))
    checklists = compliance.wanted(policy, compliance.read_checklists(project.source))
    if not checklists:
        raise UsageError("the policy names no checklist", "add e.g. 'checklists: [appi-2022]' "
                         "to policy.yaml")
    findings = compliance.check(version, checklists)
    if args.format == "json":
        print(json.dumps(compliance.to_json(version, findings), ensure_ascii=False, indent=2))
    else:
        print(compliance.table(version, findings), end="")
    return 0 if all(finding.ok for finding in findings) else EXIT_CHECK


def _schema(project: Project) -> int:
    from generator.source.schema import source_schemas

    policy = pipeline.read_source(project).policy
    folder = project.source / "schema"
    folder.mkdir(exist_ok=True)
    for name, text in source_schemas(policy.info.languages).items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {display_path(folder / name)}")
    return 0


def _diff(project: Project, args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from generator.checks import translations
    from generator.core import diff, i18n
    from generator.outputs import redline

    policy = pipeline.read_source(project).policy
    language = args.lang or policy.info.authoritative_language
    versions = {v.id: v for v in policy.versions}
    args.old, args.new = (_version_named(policy, wanted) for wanted in (args.old, args.new))
    for wanted in (args.old, args.new):
        if wanted not in versions:
            raise UsageError(f"no version '{wanted}'; the versions are {', '.join(versions)}")
    if language not in policy.info.languages:
        raise UsageError(f"no language '{language}'; the languages are "
                         f"{', '.join(policy.info.languages)}")
    old, new = versions[args.old], versions[args.new]
    for version in (old, new):
        if language not in version.languages():
            raise UsageError(f"version {version.id} has no '{language}' text (it was locked "
                             f"before '{language}' was added)",
                             f"compare in {' or '.join(version.languages())}")
    change = translations.changes(policy, old, new, language)
    backwards = new.effective_date < old.effective_date
    if backwards:  # newer against older: not "what changed in" the newer one
        change = dataclasses.replace(change, summary=None)
    catalog = i18n.read_catalog(project.locales, language)
    gettext = catalog.gettext
    if args.format == "json":  # the same document the API publishes under api/v1/changes/
        text = json.dumps(diff.to_json(change, gettext), ensure_ascii=False, indent=2) + "\n"
    elif args.format in ("markdown", "html"):
        text = redline.render(policy, old, new, change, catalog, args.format)
    else:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ and args.out is None
        text = diff.to_text(change, gettext, colour)
        if backwards:
            text = gettext("This compares a newer version with an older one: from the "
                           "version of %(newer)s back to the version of %(older)s.") % {
                "newer": i18n.format_date(old.effective_date, language),
                "older": i18n.format_date(new.effective_date, language)} + "\n" + text
    if args.out is None:
        print(text, end="")
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {display_path(args.out)}")
    return 0


def _version_named(policy, wanted: str) -> str:
    """A version's id as given, or the id of the version in force on a day given instead."""
    if policy.version(wanted) is not None:
        return wanted
    try:
        day = dt.date.fromisoformat(wanted)
    except ValueError:
        return wanted  # neither: refused by name with the versions
    from generator.core.model import timeline

    current = timeline(policy, day).current
    if current is None:
        raise UsageError(f"no version was in force on {day}", "the versions are " +
                         ", ".join(f"{v.id} (from {v.effective_date})"
                                   for v in policy.versions if v.status == "published"))
    # Ids are often dates: a mistyped one must not pass silently for another version.
    print(f"policygen: {wanted} is no version's id: comparing the version in force that day, "
          f"{current.id}", file=sys.stderr)
    return current.id


def _store_labels(project: Project, args: argparse.Namespace) -> int:
    from generator.outputs import store_files
    from generator.source import store_labels

    source = pipeline.read_source(project)
    policy = source.policy
    if source.stores is None:
        raise UsageError(f"no {display_path(project.source / store_labels.FILE)}: the "
                         "mapping of the policy's categories and purposes to the stores' types",
                         "write it (see `policygen store-labels --help` and docs/guide.md)")
    version = policy.version(args.version) if args.version else policy.versions[-1]
    if version is None:
        raise UsageError(f"no version '{args.version}'; the versions are "
                         f"{', '.join(v.id for v in policy.versions)}")
    made = store_files.labels(version, source.stores)
    if not made:
        raise UsageError(f"version {version.id} states no processing, so it has no labels",
                         "add a 'processing' block to it")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, content in made.items():
        (args.out / name).write_bytes(content)
        print(f"wrote {display_path(args.out / name)}")
    return 0


def _verify(project: Project, args: argparse.Namespace) -> int:
    from generator import verify

    for line in verify.verify(project, args.site):
        print(line)
    print("verified: the record holds" + (f" and {args.site.as_posix()}/ matches it"
                                           if args.site else ""))
    return 0


def _build(project: Project, args: argparse.Namespace) -> int:
    if args.drafts and args.out is None:
        raise UsageError("--drafts builds a preview, and a preview must not go to 'site', "
                         "where the published site is built",
                         "preview with `policygen serve --drafts`, or build with --drafts "
                         "--out DIR into a folder that is never published")
    built = pipeline.build(project, pipeline.BuildOptions(
        args.out or DEFAULT_OUT, args.as_of, os.environ, dt.datetime.now(dt.UTC),
        args.drafts, args.jobs, args.strict, pipeline.settings_for(project, args.engine)))
    warn(built.warnings)
    if args.verbose:
        print("\n".join(built.result.log))
        print("Stages: " + ", ".join(f"{name} {seconds:.2f} s"
                                      for name, seconds in built.stages.items()))
    print(describe(built))
    return 0


def _count(number: int, thing: str) -> str:
    """'1 language', '2 languages': the terminal's words, in English like every message."""
    return f"{number} {thing}{'s' * (number != 1)}"


def describe(built: pipeline.Built) -> str:
    line, result = built.timeline, built.result
    named = lambda v: f"{v.id} (draft)" if v.status == "draft" else v.id  # noqa: E731
    upcoming = ", ".join(map(named, line.upcoming)) or "none"
    text = (f"Built {_count(len(built.policy.info.languages), 'language')} x "
            f"{_count(len(line.versions), 'version')} ({result.pages} pages, {result.files} "
            f"files) into "
            f"{display_path(result.out_dir)}/ in {result.seconds:.1f} s\n"
            f"As of {line.as_of}: in force {named(line.current) if line.current else 'none'}; "
            f"upcoming {upcoming}")
    if built.later:
        text += (f"\nThe record as it stood on {line.as_of}: "
                 f"{_count(len(built.later), 'step')} recorded later not shown (" +
                 "; ".join(f"{step.version} {step.what} on {step.date}"
                           for step in built.later) + ")")
    shown = {v.id for v in line.versions}
    left_out = [v.id for v in built.policy.versions if v.id not in shown]
    if left_out:
        text += (f"\nLeft out {len(left_out)} draft version{'s' * (len(left_out) != 1)} "
                 f"({', '.join(left_out)}); preview with `policygen serve --drafts`")
    elif any(v.status == "draft" for v in line.versions):
        text += "\nThis is a preview with drafts: never publish it"
    if not built.site_url:
        # The theme reads <lang>/sitemap.xml on every page, so the file stays; a sitemap
        # search engines accept needs absolute addresses, which only site_url gives.
        text += ("\nNo sitemaps for search engines: their addresses must be absolute; set "
                 "site_url in policygen.yml to publish them")
    return text


# Each subcommand's handler: (project, parsed arguments) -> exit status.
_COMMANDS: dict[str, Callable[[Project, argparse.Namespace], int]] = {
    "validate": lambda project, args: _validate(project, args.strict),
    "build": _build, "lock": _lock, "schema": lambda project, args: _schema(project),
    "new-version": _new_version, "status": _status, "translations": _translations,
    "check": _check, "diff": _diff, "serve": _serve, "init": lambda _, args: _init(args),
    "import": _import, "verify": _verify, "show": _show, "store-labels": _store_labels,
}


if __name__ == "__main__":
    sys.exit(main())
