#!/usr/bin/env python3
"""The performance table: how fast the pipeline builds synthetic editions of growing size.

    python3 benchmarks/run.py                      # 100, 1,000 and 10,000 documents
    python3 benchmarks/run.py --sizes 100 1000     # fewer sizes
    python3 benchmarks/run.py --jobs 2 --work /tmp/bench

For each size it generates a synthetic corpus (benchmarks/generate_corpus.py, deterministic),
then measures, each step in its own process as a user would run it:

- yardstick: lxml parsing and serializing every TEI file of the corpus (the floor: any
  pipeline must at least read and write the XML);
- validate: well-formedness, XSD, Schematron, dates, references (`validate(config, jobs)`);
- HTML: a clean `edition build --only html --only search` (validation + document pages +
  register pages + site pages + Pagefind index), with its peak memory (RSS, summed over the
  build and its worker processes, sampled every 0.1 s);
- rebuild: the same build again after one document was edited (incremental);
- PDF: `edition build --only pdf` on a fixed sample of the first 50 documents (PDF for 10,000
  documents would take hours on 2 cores), as documents per second.

Every time is also shown as a multiple of the yardstick of the same corpus, which makes the
figures comparable across machines. The table is printed as Markdown (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDF_SAMPLE = 50
PDF_TIMEOUT = 900  # seconds; the sample's volume prints the whole registers, which grow with the corpus


def generate(size: int, folder: Path) -> Path:
    if not (folder / "edition.toml").is_file():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--docs", str(size),
                        "--persons", str(max(50, size // 4)), "--seed", "1", "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


def run_measured(command: list[str], cwd: Path, timeout: float | None = None) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS in MB of it and its children, output).
    Past `timeout` seconds the command is stopped and the time returned is None."""
    try:
        import psutil
    except ImportError:  # without psutil: the largest single process (getrusage), not the sum
        psutil = None
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    if psutil is not None:
        watched = psutil.Process(process.pid)
        while process.poll() is None:
            if timeout and time.perf_counter() - start > timeout:
                break
            try:
                tree = [watched] + watched.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)
    if timeout and process.poll() is None:
        for p in watched.children(recursive=True):
            p.kill()
        process.kill()
        process.communicate()
        return None, peak / 2**20, ""
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    if psutil is None:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if process.returncode not in (0, 1):
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{output[-3000:]}")
    return seconds, peak / 2**20, output


YARDSTICK = """
import sys, time
from pathlib import Path
from lxml import etree
files = sorted(Path(sys.argv[1]).rglob("*.xml"))
start = time.perf_counter()
for f in files:
    etree.tostring(etree.fromstring(f.read_bytes()))
print(time.perf_counter() - start)
"""

VALIDATE = """
import sys, time
from tei_edition.config import load_config
from tei_edition.validate import validate
config = load_config(sys.argv[1])
start = time.perf_counter()
result = validate(config, jobs=int(sys.argv[2]))
print(time.perf_counter() - start, len(result.errors))
"""


def edit_one_document(corpus: Path) -> None:
    """A small edit in the first document's text, as an editor would make it."""
    first = sorted((corpus / "tei" / "meetings").glob("*.xml"))[0]
    text = first.read_text(encoding="utf-8")
    marker = "</body>"
    edit = '<div type="benchmark-edit"><p>An edited paragraph (benchmark).</p></div>'
    first.write_text(text.replace(marker, edit + marker, 1), encoding="utf-8")


def pdf_sample_config(corpus: Path) -> Path:
    sample = sorted((corpus / "tei" / "meetings").glob("*.xml"))[:PDF_SAMPLE]
    text = (corpus / "edition.toml").read_text(encoding="utf-8")
    listed = ", ".join(json.dumps(str(p.relative_to(corpus))) for p in sample)
    text = text.replace('sources = ["tei/meetings/*.xml"]', f"sources = [{listed}]")
    text = text.replace('output = "output"', 'output = "output-pdf-sample"')
    path = corpus / "edition-pdf-sample.toml"
    path.write_text(text, encoding="utf-8")
    return path


def measure(size: int, work: Path, jobs: int, pdf: bool) -> dict:
    corpus = generate(size, work / f"corpus-{size}")
    shutil.rmtree(corpus / "output", ignore_errors=True)
    files = list((corpus / "tei").rglob("*.xml"))
    row = {"size": size, "files": len(files), "mb": sum(f.stat().st_size for f in files) / 2**20}
    py = sys.executable
    row["yardstick"] = float(subprocess.run([py, "-c", YARDSTICK, str(corpus / "tei")], capture_output=True,
                                            text=True, check=True).stdout.split()[0])
    out = subprocess.run([py, "-c", VALIDATE, str(corpus / "edition.toml"), str(jobs)], capture_output=True,
                         text=True, check=True, cwd=corpus).stdout.split()
    row["validate"] = float(out[0])
    edition = [py, "-m", "tei_edition.cli", "build", "--config", "edition.toml", "--jobs", str(jobs),
               "--only", "html", "--only", "search"]
    row["html"], row["rss"], log = run_measured(edition, corpus)
    edit_one_document(corpus)
    row["rebuild"], row["rebuild_rss"], log = run_measured(edition, corpus)
    row["rebuild_log"] = [line for line in log.splitlines() if line.startswith(("html:", "  "))][:6]
    if pdf:
        config = pdf_sample_config(corpus)
        shutil.rmtree(corpus / "output-pdf-sample", ignore_errors=True)
        seconds, _, log = run_measured([py, "-m", "tei_edition.cli", "build", "--config", config.name, "--jobs",
                                        str(jobs), "--only", "pdf"], corpus, timeout=PDF_TIMEOUT)
        row["pdf"] = seconds
    return row


def machine() -> str:
    import lxml.etree
    import saxonche

    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram = next(int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        ram = 0
    try:
        from importlib.metadata import version
        saxon = version("saxonche")
    except Exception:
        saxon = getattr(saxonche, "__version__", "?")
    return (f"{os.cpu_count()} cores, {ram / 1024:.1f} GB RAM, {cpu}; Python {platform.python_version()}, "
            f"lxml {lxml.etree.__version__}, saxonche {saxon}, {platform.system()} {platform.release()}")


def table(rows: list[dict], jobs: int) -> str:
    def rate(n, seconds, yard):
        return f"{n / seconds:,.0f} docs/s ({seconds:.1f} s, {seconds / yard:.0f}×)"

    lines = [f"| documents (files, MB) | yardstick: lxml parse + serialize | validate | HTML: validate + pages + "
             f"registers + search | rebuild after editing one document | PDF per document (sample of {PDF_SAMPLE}) "
             "| peak memory (RSS, all processes) |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        pdf = ("not measured" if "pdf" not in r else f"stopped after {PDF_TIMEOUT} s" if r["pdf"] is None
               else f"{PDF_SAMPLE / r['pdf']:.1f} docs/s ({r['pdf']:.1f} s)")
        lines.append(f"| {r['size']:,} ({r['files']:,}, {r['mb']:.0f} MB) "
                     f"| {r['size'] / r['yardstick']:,.0f} docs/s ({r['yardstick']:.2f} s, 1×) "
                     f"| {rate(r['size'], r['validate'], r['yardstick'])} "
                     f"| {rate(r['size'], r['html'], r['yardstick'])} "
                     f"| {r['rebuild']:.1f} s ({r['rebuild'] / r['yardstick']:.0f}×) "
                     f"| {pdf} | {r['rss']:,.0f} MB |")
    lines.append("")
    lines.append(f"`--jobs {jobs}`; times in seconds of wall-clock time, each step a fresh process (the HTML "
                 "and rebuild times include starting Python and the worker processes). × = multiple of the "
                 "yardstick of the same corpus. The PDF figure is measured on the first "
                 f"{PDF_SAMPLE} documents of each corpus (with validation, the volume and one PDF per document).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=None, help="where corpora are generated (kept; default: a temp folder)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF sample")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    args = parser.parse_args()
    # the steps run `python -m tei_edition.cli` from this checkout, installed or not
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))
    work = args.work or Path(tempfile.mkdtemp(prefix="edition-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        print(f"measuring {size:,} documents in {work} ...", file=sys.stderr, flush=True)
        rows.append(measure(size, work, args.jobs, not args.no_pdf))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"Machine: {machine()}\n")
    print(table(rows, args.jobs))


if __name__ == "__main__":
    main()
