"""policygen's command line: parse arguments, call the library, print results, exit."""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os
import re
import signal
import sys
from pathlib import Path

from . import build as pipeline
from .diagnostics import Diagnostic, PolicyError, UsageError, settle
from .site import SiteBuildError
from .source import display_path
from .validate import load, read

EXIT_INPUT = 2  # the user's source has problems
EXIT_ENGINE = 1  # the site engine failed
EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130: the shell's convention for Ctrl-C
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143


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


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="policygen", description=(
        "Build a versioned, multilingual privacy-policy site from YAML source."))
    main.add_argument("--project", type=Path, default=Path("."),
                      help="project root holding mkdocs.yml, policy_src/ and locales/ "
                           "(default: the current directory)")
    main.add_argument("--source", type=Path, help="policy source directory "
                      "(default: PROJECT/policy_src)")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the source and report every problem")
    _strict_option(validate)
    locking = commands.add_parser("lock", help="lock every published version not yet locked, "
                                  "or record a correction of one")
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
    commands.add_parser("schema", help="write the source files' JSON Schemas for editors "
                        "into SOURCE/schema/")

    build = commands.add_parser("build", help="build the static site")
    _site_options(build)
    build.add_argument("--out", type=Path, help="output directory (default: site); "
                       "policygen replaces it as a whole, so it must be new, empty or built "
                       "by policygen")
    _strict_option(build)

    compare = commands.add_parser("diff", help="show what changed between two versions")
    compare.add_argument("old", metavar="FROM", help="the earlier version's id")
    compare.add_argument("new", metavar="TO", help="the later version's id")
    compare.add_argument("--lang", help="language (default: the authoritative one)")
    compare.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    serve = commands.add_parser("serve", help="preview the site, rebuilding on every change")
    _site_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    return main


def _strict_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--strict", action="store_true", help="treat warnings as errors: "
                         "fail (exit 2) when any is found")


def _site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--as-of", type=_date, metavar="DATE", help="build the site as it "
                         "stands on DATE (default: SOURCE_DATE_EPOCH, else today)")
    command.add_argument("--drafts", action="store_true", help="include draft versions, "
                         "clearly marked (preview only; never publish such a build)")
    command.add_argument("--verbose", action="store_true", help="show the site engine's log")
    command.add_argument("--jobs", type=int, help="parallel site-engine builds "
                         "(default: one per core)")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every `finally` cleans up on the way out."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = pipeline.Project.at(args.project, args.source)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(project, args)
    except KeyboardInterrupt as interruption:
        terminated = isinstance(interruption, Terminated)
        print(f"policygen: {'terminated' if terminated else 'interrupted'}; nothing was "
              "replaced and the previous site was left untouched", file=sys.stderr)
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(project: pipeline.Project, args: argparse.Namespace) -> int:
    try:
        if args.command == "validate":
            return _validate(project, args.strict)
        if args.command == "build":
            return _build(project, args)
        if args.command == "lock":
            return _lock(project, args)
        if args.command == "schema":
            return _schema(project)
        if args.command == "diff":
            return _diff(project, args)
        if args.command == "serve":
            from .serve import serve
            return serve(project, args)
    except PolicyError as error:
        return report(error)
    except UsageError as error:
        print(f"policygen: {error}", file=sys.stderr)
        return EXIT_INPUT
    except SiteBuildError as error:
        print("\n".join(error.log), file=sys.stderr)
        print(f"policygen: the site engine failed for language '{error.language}'; "
              "the previous site was left untouched", file=sys.stderr)
        return EXIT_ENGINE
    raise AssertionError(args.command)


def report(error: PolicyError) -> int:
    for diagnostic in error.diagnostics:
        print(diagnostic, file=sys.stderr)
    count = len(error.diagnostics)
    because = " (warnings are errors with --strict)" if error.strict else ""
    print(f"policygen: {count} problem{'s' if count != 1 else ''} found{because}; "
          "nothing was built", file=sys.stderr)
    return EXIT_INPUT


def warn(warnings: tuple[Diagnostic, ...]) -> None:
    """Print warnings where errors go, so they are seen and never mistaken for output."""
    for diagnostic in warnings:
        print(diagnostic, file=sys.stderr)


def _validate(project: pipeline.Project, strict: bool) -> int:
    from . import lockstore

    policy, found, locate = read(project.source)
    lockstore.verify(policy, lockstore.read(project.source), project.source, locate)
    warnings = settle(found, strict)
    warn(warnings)
    versions = len(policy.versions)
    noted = f"; {len(warnings)} warning{'s' * (len(warnings) != 1)}" if warnings else ""
    print(f"{display_path(project.source)}: OK ({versions} version{'s' * (versions != 1)}, "
          f"{len(policy.info.languages)} languages{noted})")
    return 0


def _lock(project: pipeline.Project, args: argparse.Namespace) -> int:
    from . import lockstore

    if args.also and not args.correct:
        print("policygen: --also needs --correct ID: the version whose correction it repeats",
              file=sys.stderr)
        return EXIT_INPUT
    policy, found, locate = read(project.source)
    warn(settle(found, args.strict))
    today = pipeline.resolve_as_of(None, dict(os.environ), dt.datetime.now(dt.timezone.utc),
                                   policy.info.timezone)
    done = lockstore.record(policy, project.source, locate, today, args.correct,
                            tuple(args.also), args.postpone, args.withdraw)
    for line in done or ["nothing to lock: every published version is locked"]:
        print(line)
    if done:
        print(f"commit {display_path(project.source / lockstore.LOCK_FILE)} and "
              f"{display_path(project.source / lockstore.PUBLISHED_DIR)}/ with the source")
    return 0


def _schema(project: pipeline.Project) -> int:
    from .schema import source_schemas

    policy = load(project.source)
    folder = project.source / "schema"
    folder.mkdir(exist_ok=True)
    for name, text in source_schemas(policy.info.languages).items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {display_path(folder / name)}")
    return 0


def _diff(project: pipeline.Project, args: argparse.Namespace) -> int:
    import json

    from . import diff, i18n, pages

    policy = load(project.source)
    language = args.lang or policy.info.authoritative_language
    versions = {v.id: v for v in policy.versions}
    for wanted in (args.old, args.new):
        if wanted not in versions:
            print(f"policygen: no version '{wanted}'; the versions are "
                  f"{', '.join(versions)}", file=sys.stderr)
            return EXIT_INPUT
    if language not in policy.info.languages:
        print(f"policygen: no language '{language}'; the languages are "
              f"{', '.join(policy.info.languages)}", file=sys.stderr)
        return EXIT_INPUT
    change = diff.compare(versions[args.old], versions[args.new], language)
    gettext = i18n.translations(project.locales, language).gettext
    if args.format == "json":  # the same document the API publishes under api/v1/changes/
        print(json.dumps(diff.to_json(change, gettext), ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(pages.redline_markdown(policy, versions[args.old], versions[args.new], change,
                                     project.locales), end="")
    else:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        print(diff.to_text(change, gettext, colour), end="")
    return 0


def _build(project: pipeline.Project, args: argparse.Namespace) -> int:
    if args.drafts and args.out is None:
        raise UsageError("--drafts builds a preview, and a preview must not go to 'site', "
                         "where the published site is built",
                         "preview with `policygen serve --drafts`, or build with --drafts "
                         "--out DIR into a folder that is never published")
    built = pipeline.build(project, args.out or DEFAULT_OUT, args.as_of, dict(os.environ),
                           dt.datetime.now(dt.timezone.utc), args.drafts, args.jobs,
                           args.strict)
    warn(built.warnings)
    if args.verbose:
        print("\n".join(built.result.log))
        print("Stages: " + ", ".join(f"{name} {seconds:.2f} s"
                                      for name, seconds in built.stages.items()))
    print(describe(built))
    return 0


def describe(built: pipeline.Built) -> str:
    line, result = built.timeline, built.result
    named = lambda v: f"{v.id} (draft)" if v.status == "draft" else v.id  # noqa: E731
    upcoming = ", ".join(map(named, line.upcoming)) or "none"
    text = (f"Built {len(built.policy.info.languages)} languages x {len(line.versions)} "
            f"versions ({result.pages} pages, {result.files} files) into "
            f"{display_path(result.out_dir)}/ in {result.seconds:.1f} s\n"
            f"As of {line.as_of}: in force {named(line.current) if line.current else 'none'}; "
            f"upcoming {upcoming}")
    shown = {v.id for v in line.versions}
    left_out = [v.id for v in built.policy.versions if v.id not in shown]
    if left_out:
        text += (f"\nLeft out {len(left_out)} draft version{'s' * (len(left_out) != 1)} "
                 f"({', '.join(left_out)}); preview with `policygen serve --drafts`")
    elif any(v.status == "draft" for v in line.versions):
        text += "\nThis is a preview with drafts: never publish it"
    return text


if __name__ == "__main__":
    sys.exit(main())
