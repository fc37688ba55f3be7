"""How policygen's build cost grows with versions x languages, against a plain baseline.

    ./dev bench [--sizes 10x2,50x2,200x2,10x10,50x10,200x10] [--runs 3]

For each size (versions x languages, 30 sections, from benchmarks/synthetic.py) it prints:
the generator's own stages (load and validate, model, diffs, JSON, PDFs rendered from an
empty cache, page generation; "pdf+c" is the PDF stage of a rebuild with the cache), the site
engine's build, the full `policygen build` command's wall time and peak memory (all its
processes), `policygen validate`, pages and output size, and the same pages built the way a
team without policygen would: plain Markdown in one mkdocs-material build with the
mkdocs-static-i18n plugin. It adds what a one-word edit costs (`build --drafts` into its
existing output, the cache kept by the build before), the largest language's search index,
and the bytes of api/v1/current.json (what apps poll) and of the index. Full builds start
from an empty cache; `validate` runs with the cache the last build kept. Figures are medians
of --runs runs, the baseline measured in the same run. It asserts nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
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
from generator import cache  # noqa: E402
from generator import build as pipeline  # noqa: E402
from generator.project import Project, copy  # noqa: E402
from generator.settings import ENGINES  # noqa: E402

BIN = Path(sys.executable).parent
AS_OF = dt.date(2026, 11, 25)
DEFAULT_SIZES = "10x2,50x2,200x2,10x10,50x10,200x10"
STAGES = ("load", "model", "diffs", "json", "pdf", "pages")


class PeakMemory:
    """The largest total resident memory of a process and all its descendants, sampled."""

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

    def _rss(self, pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(self._rss(p) for p in self._tree(self.pid)))
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
    from generator import api, i18n, pages

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
            path.write_text(page.body, encoding="utf-8")
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


def measure(versions: int, languages: int, runs: int, work: Path,
            engine: str = "mkdocs") -> dict:
    """Every figure of one size. Stages come from the full command's own report, so they
    are measured in a fresh process like the rest, never with caches warmed by a previous
    run (Jinja's compiled templates, kept on disk between runs, are the exception, as for
    any user)."""
    project = synthetic.write(work / f"{versions}x{languages}", versions, languages)
    (project / "policygen.yml").write_text(f"engine: {engine}\n")  # for every build here
    policygen = [str(BIN / "policygen"), "--project", str(project)]
    build = policygen + ["build", "--verbose", "--out", str(project / "site"),
                         "--as-of", AS_OF.isoformat()]
    pdf_caches = [work / f"{versions}x{languages}-pdf-cache-{run}" for run in range(runs)]
    full = []
    for pdf_cache in pdf_caches:  # each from clean caches: what a first build costs
        shutil.rmtree(project / cache.DIRECTORY, ignore_errors=True)
        shutil.rmtree(pdf_cache, ignore_errors=True)
        full.append(timed(build, project, {**os.environ, "POLICYGEN_CACHE": str(pdf_cache)}))
    stage_runs = [stages_of(out) for _, _, out in full]
    # Every later build finds the PDFs the first one rendered, as a user's rebuild does.
    os.environ["POLICYGEN_CACHE"] = str(pdf_caches[0])
    warm = stages_of(timed(build, project)[2])
    # validate as the legal team runs it between builds: the cache the last build kept
    validate = [timed(policygen + ["validate"], project)[0] for _ in range(runs)]
    incremental = incremental_builds(project, policygen, runs)
    built = pipeline.build(Project.at(project), work / "scratch", AS_OF,
                           {"POLICYGEN_CACHE": str(pdf_caches[0])},
                           dt.datetime.now(dt.timezone.utc))
    base = baseline_project(project, built, work / f"{versions}x{languages}-baseline")
    baseline = [timed([str(BIN / "mkdocs"), "build", "-q", "-d", str(base / "site")],
                      base)[0] for _ in range(runs)]
    files, size = size_of(project / "site")
    search = max(len(p.read_bytes()) for pattern in ("*/search/search_index.json",
                                                     "*/search.json")  # mkdocs, Zensical
                 for p in (project / "site").glob(pattern))
    stages = {f"t_{name}": statistics.median(r.get(name, 0.0) for r in stage_runs)
              for name in STAGES + ("engine",)}
    return {
        "size": f"{versions}x{languages}", "pages": built.result.pages, "files": files,
        "mb": size / 1e6, **stages, "engine": stages["t_engine"], "pdf_warm": warm["pdf"],
        "full": statistics.median(seconds for seconds, _, _ in full),
        "peak": max(peak for _, peak, _ in full) / 2**20,
        "validate": statistics.median(validate), "baseline": statistics.median(baseline),
        "incr": statistics.median(incremental), "search": search / 1e3,
        "current": len((project / "site/api/v1/current.json").read_bytes()),
        "index": len((project / "site/api/v1/policy.json").read_bytes()) / 1e3,
    }


def incremental_builds(project: Path, policygen: list[str], runs: int) -> list[float]:
    """Seconds of `build --drafts` into its existing output after one edit of one version
    file: the legal team drafting the next version, one word at a time."""
    versions = sorted((project / "policy_src/versions").glob("*.yaml"))
    text = versions[-1].read_text(encoding="utf-8")
    last = versions[-1].stem
    draft = project / "policy_src/versions/2099-01-01.yaml"
    draft.write_text(text.replace(f"id: {last}\neffective_date: {last}",
                                  "id: 2099-01-01\neffective_date: 2099-01-01")
                     .replace('status: "published"', 'status: "draft"'), encoding="utf-8")
    command = policygen + ["build", "--drafts", "--out", str(project / "preview"),
                           "--as-of", AS_OF.isoformat()]
    timed(command, project)  # the build before the edits, which fills the cache
    seconds = []
    for number in range(runs):
        text = draft.read_text(encoding="utf-8")
        assert ", revision " in text  # the mark of synthetic.py's edits, in a section's text
        draft.write_text(text.replace(", revision ", f", revision {number}.", 1),
                         encoding="utf-8")
        seconds.append(timed(command, project)[0])
    draft.unlink()
    return seconds


def serve_rebuild(work: Path) -> float:
    """Seconds from saving an edit to a version file of the example to the rebuilt page."""
    import socket
    import urllib.request

    project = work / "serve"
    if project.exists():
        shutil.rmtree(project)
    copy(HERE.parent, project)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(BIN / "policygen"), "serve", "--port", str(port), "--drafts"],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/en/").read()
                break
            except OSError:
                time.sleep(0.05)
        # The legal team drafting the next version: a draft needs no lock, so it can change.
        draft = project / "policy_src/versions/2028-01-01.yaml"
        text = (project / "policy_src/versions/2027-04-01.yaml").read_text(encoding="utf-8")
        text = text.split("\ncorrections:\n")[0] + "\n"  # its own, last: not the draft's
        text = text.replace("id: 2027-04-01\neffective_date: 2027-04-01",
                            "id: 2028-01-01\neffective_date: 2028-01-01")
        draft.write_text(text.replace("status: published", "status: draft"), encoding="utf-8")
        url = f"http://127.0.0.1:{port}/en/versions/2028-01-01/"
        for _ in range(300):
            try:
                urllib.request.urlopen(url).read()
                break
            except OSError:
                time.sleep(0.05)
        started = time.perf_counter()
        draft.write_text(draft.read_text(encoding="utf-8").replace("We deal with",
                                                                   "We benchmark"),
                         encoding="utf-8")
        while time.perf_counter() - started < 30:
            try:
                if b"We benchmark" in urllib.request.urlopen(url).read():
                    return time.perf_counter() - started
            except OSError:
                pass  # the page is swapped in with the whole site
            time.sleep(0.02)
        raise SystemExit("serve did not rebuild within 30 s")
    finally:
        server.terminate()
        server.wait()


COLUMNS = [("size", "{:>7}"), ("pages", "{:>6}"), ("files", "{:>6}"), ("mb", "{:>7.1f}"),
           ("t_load", "{:>6.2f}"), ("t_model", "{:>6.3f}"), ("t_diffs", "{:>6.2f}"),
           ("t_json", "{:>6.2f}"), ("t_pdf", "{:>7.2f}"), ("pdf_warm", "{:>6.2f}"),
           ("t_pages", "{:>6.2f}"), ("engine", "{:>7.2f}"),
           ("gen%", "{:>5.1f}"), ("full", "{:>7.2f}"), ("peak", "{:>8.0f}"),
           ("validate", "{:>8.2f}"), ("baseline", "{:>8.2f}"), ("ratio", "{:>5.2f}"),
           ("incr", "{:>6.2f}"), ("search", "{:>8.1f}"), ("current", "{:>8d}"),
           ("index", "{:>7.1f}")]
HEADER = ("   size  pages  files  out MB   load  model  diffs   json     pdf  pdf+c  pages"
          "  engine  gen%    full  peak MiB validate baseline ratio   incr searchKB currentB"
          " indexKB")


def row(figures: dict) -> str:
    generator = sum(figures[f"t_{name}"] for name in STAGES)
    values = {**figures, "gen%": 100 * generator / figures["full"],
              "ratio": figures["full"] / figures["baseline"]}
    return " ".join(fmt.format(values[name]) for name, fmt in COLUMNS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"VERSIONSxLANGUAGES, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--work", type=Path, default=HERE / "out",
                        help="where sources and sites are generated (default benchmarks/out)")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve measurement")
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs",
                        help="the site engine of the full build (default mkdocs)")
    args = parser.parse_args()
    print(f"policygen benchmark ({args.engine}): {os.cpu_count()} cores, median of "
          f"{args.runs} runs; seconds unless noted; peak in MiB (all processes); "
          "gen% = generator stages / full build; ratio = full build / baseline; incr = build "
          "--drafts into its output after one edit; searchKB = largest language's search "
          "index; currentB and indexKB = api/v1/current.json and policy.json")
    print(HEADER)
    for size in args.sizes.split(","):
        versions, languages = (int(part) for part in size.lower().split("x"))
        print(row(measure(versions, languages, args.runs, args.work, args.engine)), flush=True)
    if not args.no_serve:
        print(f"serve: edit to rebuilt page of the example, {serve_rebuild(args.work):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
