"""How policygen's build cost grows with versions x languages, against a plain baseline.

    ./dev bench [--sizes example,10x2,50x2,200x2,10x10,50x10,200x10] [--runs 3]

For each size (versions x languages, 30 sections, from benchmarks/synthetic.py; `example`
is the shipped example project, whose incremental and serve figures are not taken) it prints:
the generator's own stages (load and validate, model, diffs, JSON, PDFs, page generation),
the site engine's build, the full `policygen build` command's wall time and peak memory (all
its processes), `policygen validate`, pages and output size, and the same pages built the way
a team without policygen would: plain Markdown in one mkdocs-material build with the
mkdocs-static-i18n plugin. It adds what a one-word edit of a draft version costs (`build
--drafts` into its existing output, the cache kept by the build before, and `serve --drafts`
from saving the file to the page showing the word), the largest language's search index, and
the bytes of api/v1/current.json (what apps poll) and of the index.

Full builds start from an empty .policygen_cache but find the PDFs a first build rendered,
as every rebuild does: the baseline makes no PDFs. That first build, from no cache at all,
is measured once per size and printed apart (cold-full, cold-peak): rendering every PDF
costs more than the rest of the build together. `validate` runs with the cache the last
build kept. Figures are medians of --runs runs, the baseline measured in the same run;
a figure whose first run takes longer than --long seconds (default 120: the baseline at
200x10) is taken once, so that 10x2,50x10,200x10 finish in about 25 minutes on two
cores. It asserts nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks import synthetic  # noqa: E402
from generator import build as pipeline  # noqa: E402
from generator.runtime import cache  # noqa: E402
from generator.source.project import Project  # noqa: E402
from generator.source.settings import ENGINES  # noqa: E402

BIN = Path(sys.executable).parent
AS_OF = dt.date(2026, 11, 25)
DEFAULT_SIZES = "10x2,50x2,200x2,10x10,50x10,200x10"
STAGES = ("load", "model", "diffs", "json", "pdf", "pages")


class PeakMemory:
    """The largest total memory of a process and all its descendants, sampled: the sum of
    their proportional set sizes (PSS), where a page shared by several processes (the
    workers forked from the build share the parent's pages) counts once in all, not once in
    each, as a sum of resident sizes would."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        found = [pid]
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                children = (task / "children").read_text().split()
                for child in children:
                    found += self._tree(int(child))
        except OSError:
            pass
        return found

    def _pss(self, pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(self._pss(p) for p in self._tree(self.pid)))
            time.sleep(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None
          ) -> tuple[float, int, str]:
    """Wall seconds, peak memory (bytes, whole process tree) and output of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    memory = PeakMemory(process.pid)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err[-2000:]}")
    return seconds, peak, out


def stages_of(output: str) -> dict[str, float]:
    """The stage timings `policygen build --verbose` prints: 'Stages: load 0.02 s, ...'."""
    line = next(line for line in output.splitlines() if line.startswith("Stages: "))
    return {name: float(seconds) for name, seconds, _ in
            (part.split() for part in line[len("Stages: "):].split(", "))}


def size_of(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def baseline_project(project: Path, built: pipeline.Built, target: Path) -> Path:
    """The same pages as plain Markdown, one mkdocs-material build with mkdocs-static-i18n."""
    from generator.core import i18n
    from generator.outputs import api, pages

    if target.exists():
        shutil.rmtree(target)
    policy, line = built.policy, built.timeline
    texts = api.version_documents(policy, line)
    changes = api.version_changes(policy, line)
    catalogs = i18n.read_catalogs(project / "locales", policy.info.languages)
    sites = pages.plan_site(policy, line, texts, changes, catalogs)
    docs = target / "docs"
    for language_site in sites:
        for page in language_site.pages:
            path = docs / language_site.language / page.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page.text(), encoding="utf-8")
    languages = "\n".join(
        f"        - locale: {code}\n          name: {code}\n          build: true" +
        ("\n          default: true" if index == 0 else "")
        for index, code in enumerate(policy.info.languages))
    (target / "mkdocs.yml").write_text(f"""site_name: baseline
theme:
  name: material
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
plugins:
  - search
  - i18n:
      docs_structure: folder
      languages:
{languages}
""", encoding="utf-8")
    return target


def repeated(run, runs: int, long: float) -> list:
    """`runs` results of `run()`, or the first alone when it took longer than `long` s."""
    first = run()
    seconds = first[0] if isinstance(first, tuple) else first
    return [first] + ([run() for _ in range(runs - 1)] if seconds <= long else [])


EXAMPLE = "example"  # the size that is the shipped example project itself
BASECAMP = "basecamp"  # a real history: Basecamp's 30 versions (benchmarks/basecamp.py)


def source_project(size: str, work: Path) -> Path:
    """The project measured at `size`: a synthetic VERSIONSxLANGUAGES one, or a copy of the
    shipped example (2 versions x 2 languages, its real text, corrections and lock)."""
    if size == EXAMPLE:
        from generator.source import project as layout

        shutil.rmtree(work / EXAMPLE, ignore_errors=True)
        layout.copy(HERE.parent, work / EXAMPLE)
        return work / EXAMPLE
    if size == BASECAMP:
        from benchmarks import basecamp

        shutil.rmtree(work / BASECAMP, ignore_errors=True)
        return basecamp.make(work / BASECAMP).root
    versions, languages = (int(part) for part in size.lower().split("x"))
    return synthetic.write(work / size, versions, languages)


def measure(size: str, runs: int, work: Path, engine: str = "mkdocs", long: float = 120.0,
            serve: bool = True) -> dict:
    """Every figure of one size. Stages come from the full command's own report, so they
    are measured in a fresh process like the rest, never with caches warmed by a previous
    run; what the user's cache keeps from the first build (the PDFs and the templates'
    compiled code, keyed by their inputs) is found, as by any user's rebuild. The example
    has no draft to edit: its incr and serve are not measured (nan)."""
    project = source_project(size, work)
    (project / "policygen.yml").write_text(f"engine: {engine}\n")  # for every build here
    policygen = [str(BIN / "policygen"), "--project", str(project)]
    build = policygen + ["build", "--verbose", "--out", str(project / "site"),
                         "--as-of", AS_OF.isoformat()]
    pdf_cache = work / f"{size}-pdf-cache"
    shutil.rmtree(pdf_cache, ignore_errors=True)
    os.environ["POLICYGEN_CACHE"] = str(pdf_cache)  # every command here finds the PDFs

    def full_build() -> tuple[float, int, str]:
        shutil.rmtree(project / cache.DIRECTORY, ignore_errors=True)
        shutil.rmtree(project / "site", ignore_errors=True)  # the engine starts afresh too
        return timed(build, project)

    shutil.rmtree(project / cache.DIRECTORY, ignore_errors=True)
    cold_seconds, cold_peak, _ = timed(build, project)  # renders every PDF
    full = repeated(full_build, runs, long)
    stage_runs = [stages_of(out) for _, _, out in full]
    # validate as the legal team runs it between builds: the cache the last build kept
    validate = repeated(lambda: timed(policygen + ["validate"], project)[0], runs, long)
    versions = len(list((project / "policy_src/versions").glob("*.yaml")))
    synthetic_ = size != EXAMPLE
    # The word an edit goes before: synthetic texts mark their edits; Basecamp's are prose.
    mark = " personal " if size == BASECAMP else ", revision "
    incremental = incremental_builds(project, policygen, runs, mark) if synthetic_ \
        else [float("nan")]
    # serve's figure reads synthetic.py's marks in the page it waits for
    served = serve_rebuild(project, versions) if serve and synthetic_ and size != BASECAMP \
        else float("nan")
    built = pipeline.build(Project.at(project), pipeline.BuildOptions(
        work / "scratch", AS_OF, {"POLICYGEN_CACHE": str(pdf_cache)}, dt.datetime.now(dt.UTC)))
    base = baseline_project(project, built, work / f"{size}-baseline")
    baseline = repeated(lambda: timed([str(BIN / "mkdocs"), "build", "-q", "-d",
                                       str(base / "site")], base)[0], runs, long)
    files, out_bytes = size_of(project / "site")
    search = max(len(p.read_bytes()) for pattern in ("*/search/search_index.json",
                                                     "*/search.json")  # mkdocs, Zensical
                 for p in (project / "site").glob(pattern))
    stages = {f"t_{name}": statistics.median(r.get(name, 0.0) for r in stage_runs)
              for name in STAGES + ("engine",)}
    return {
        "size": size, "pages": built.result.pages, "files": files,
        "mb": out_bytes / 1e6, **stages, "engine": stages["t_engine"],
        "full_cold": cold_seconds,
        "peak_cold": cold_peak / 2**20,
        "full": statistics.median(seconds for seconds, _, _ in full),
        "peak": max(peak for _, peak, _ in full) / 2**20,
        "validate": statistics.median(validate), "baseline": statistics.median(baseline),
        "incr": statistics.median(incremental), "serve": served, "search": search / 1e3,
        "current": len((project / "site/api/v1/current.json").read_bytes()),
        "index": len((project / "site/api/v1/policy.json").read_bytes()) / 1e3,
    }


DRAFT = "2099-01-01"  # the next version the legal team drafts in every synthetic source


def add_draft(project: Path) -> Path:
    """A draft copied from the last version: it needs no lock, so it may change."""
    versions = sorted((project / "policy_src/versions").glob("*.yaml"))
    text = versions[-1].read_text(encoding="utf-8")
    last = versions[-1].stem
    draft = project / f"policy_src/versions/{DRAFT}.yaml"
    # A draft starts without the published version's recorded changes (Basecamp's last
    # version has corrections), as `policygen new-version` starts one.
    text = re.sub(r"^(corrections|postponements|withdrawal):\n(?:[ -].*\n)*", "", text,
                  flags=re.M)
    draft.write_text(text.replace(f"id: {last}\neffective_date: {last}",
                                  f"id: {DRAFT}\neffective_date: {DRAFT}")
                     .replace('status: "published"', 'status: "draft"')
                     .replace("status: published", "status: draft"), encoding="utf-8")
    return draft


def edit_one_word(draft: Path, word: str, mark: str = ", revision ") -> None:
    """One word more in one section's text, before `mark` (synthetic.py's edits' mark)."""
    text = draft.read_text(encoding="utf-8")
    assert mark in text
    draft.write_text(text.replace(mark, f"{mark}{word} ", 1), encoding="utf-8")


def incremental_builds(project: Path, policygen: list[str], runs: int,
                       mark: str = ", revision ") -> list[float]:
    """Seconds of `build --drafts` into its existing output after one edit of one version
    file: the legal team drafting the next version, one word at a time."""
    draft = add_draft(project)
    command = policygen + ["build", "--drafts", "--out", str(project / "preview"),
                           "--as-of", AS_OF.isoformat()]
    timed(command, project)  # the build before the edits, which fills the caches
    seconds = []
    for number in range(runs):
        edit_one_word(draft, f"edit{number}", mark)
        seconds.append(timed(command, project)[0])
    draft.unlink()
    return seconds


def serve_rebuild(project: Path, versions: int) -> float:
    """Seconds from saving a one-word edit of a draft to `serve --drafts` sending the page
    that shows it (its first build, before the edit, is not counted)."""
    import socket
    import urllib.request

    draft = add_draft(project)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(BIN / "policygen"), "--project", str(project), "serve",
                               "--port", str(port), "--drafts", "--as-of", AS_OF.isoformat()],
                              cwd=project, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/en/versions/{DRAFT}/"

    def shows(word: bytes, within: float) -> float | None:
        started = time.perf_counter()
        while time.perf_counter() - started < within:
            try:
                if word in urllib.request.urlopen(url).read():
                    return time.perf_counter() - started
            except OSError:
                pass  # not serving yet
            time.sleep(0.02)
        return None

    try:
        if shows(b"revision", 60 + 3 * versions) is None:
            raise SystemExit("serve did not build the site")
        edit_one_word(draft, "served")
        seconds = shows(b"revision served", 120)
        if seconds is None:
            raise SystemExit("serve did not rebuild within 120 s")
        return seconds
    finally:
        server.terminate()
        server.wait()
        draft.unlink()


COLUMNS = [("size", "{:>7}"), ("pages", "{:>6}"), ("files", "{:>6}"), ("mb", "{:>7.1f}"),
           ("t_load", "{:>6.2f}"), ("t_model", "{:>6.3f}"), ("t_diffs", "{:>6.2f}"),
           ("t_json", "{:>6.2f}"), ("t_pdf", "{:>6.2f}"),
           ("t_pages", "{:>6.2f}"), ("engine", "{:>7.2f}"),
           ("gen%", "{:>5.1f}"), ("full", "{:>7.2f}"), ("peak", "{:>8.0f}"),
           ("validate", "{:>8.2f}"), ("baseline", "{:>8.2f}"), ("ratio", "{:>5.2f}"),
           ("incr", "{:>6.2f}"), ("serve", "{:>6.2f}"), ("search", "{:>8.1f}"),
           ("current", "{:>8d}"), ("index", "{:>7.1f}"),
           ("full_cold", "{:>9.1f}"), ("peak_cold", "{:>9.0f}")]
HEADER = ("   size  pages  files  out MB   load  model  diffs   json    pdf  pages"
          "  engine  gen%    full  peak MiB validate baseline ratio   incr  serve searchKB"
          " currentB indexKB cold-full cold-peak")


def row(figures: dict) -> str:
    generator = sum(figures[f"t_{name}"] for name in STAGES)
    values = {**figures, "gen%": 100 * generator / figures["full"],
              "ratio": figures["full"] / figures["baseline"]}
    return " ".join(fmt.format(values[name]) for name, fmt in COLUMNS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"VERSIONSxLANGUAGES or '{EXAMPLE}' (the shipped example), "
                        f"comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--work", type=Path, default=HERE / "out",
                        help="where sources and sites are generated (default benchmarks/out)")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve measurement")
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs",
                        help="the site engine of the full build (default mkdocs)")
    parser.add_argument("--long", type=float, default=120.0,
                        help="a figure whose first run takes longer (seconds) is taken once")
    args = parser.parse_args()
    print(f"policygen benchmark ({args.engine}): {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}, median of {args.runs} runs (one above {args.long:.0f} s);"
          " seconds unless noted; peak in MiB (all processes); full = build from an empty "
          ".policygen_cache with the PDFs a first build rendered; gen% = generator stages / "
          "full; ratio = full / baseline; incr = build --drafts into its output after a "
          "one-word edit of a draft; serve = that edit to the page served; searchKB = largest"
          " language's search index; currentB and indexKB = api/v1/current.json and "
          "policy.json; cold-full, cold-peak = the first build, rendering every PDF")
    print(HEADER)
    for size in args.sizes.split(","):
        print(row(measure(size, args.runs, args.work, args.engine, args.long,
                          not args.no_serve)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
