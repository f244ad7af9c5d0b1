"""Memory of the collect step on one big CSV export: peak resident memory (RSS) while importing N rows.

    python bench/import_memory.py                      # N = 1,000,000 rows in one file, this code and the baseline
    python bench/import_memory.py --n 200000 --no-baseline

The export is written once (streamed, Gravity-Forms-like, ~80-word reviews) into a temporary folder; then each
measured code tree imports it into a fresh internal store in a child process, which prints its own peak RSS
(VmHWM) before and after collect. The baseline is the code before collect streamed (commit `BASELINE`, taken
with `git archive`, run on the same venv), measured the same way in the same run, when git can provide it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASELINE = "187310a"  # the last commit where a source returned one Batch holding all its reviews
TARGET_MB = 500
CONFIG = """
[plaudit]
data_dir = "data"

[[sources]]
name = "bench-form"
kind = "csv"
path = "{path}"
preset = "gravityforms"
columns = {{ text = "Review", rating = "Rating", consent = "Consent" }}
consent_version = "bench"
"""

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

from pipeline import steps
from pipeline.runs import begin_run
from pipeline.settings import load_settings

settings = load_settings(sys.argv[2], env={})
run_id = begin_run(settings, "bench")
before = peak_mb()
start = time.perf_counter()
result = steps.collect_source(settings, "bench-form", None, run_id)
seconds = time.perf_counter() - start
print(json.dumps({"before_mb": before, "peak_mb": peak_mb(), "seconds": seconds, "status": result["status"],
                  "new": result.get("new"), "error": result.get("error")}))
"""


def write_export(n: int, path: Path) -> None:
    """One CSV export of n synthetic form entries, written row by row."""
    import csv

    from bench.synthetic import iter_reviews

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = None
        for row in iter_reviews(n):
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)


def baseline_tree(ref: str, folder: Path) -> Path | None:
    """The code of `ref` unpacked into `folder` (git archive), or None when git cannot provide it."""
    archive = folder / "baseline.tar"
    with archive.open("wb") as out:
        done = subprocess.run(["git", "-C", str(ROOT), "archive", ref], stdout=out, stderr=subprocess.DEVNULL)
    if done.returncode != 0:
        return None
    tree = folder / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def measure(code: Path, export: Path, folder: Path) -> dict:
    """Import the export with the code in `code` in a child process; its figures."""
    folder.mkdir(parents=True)
    config = folder / "plaudit.toml"
    config.write_text(CONFIG.format(path=export.as_posix()), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(code), "PLAUDIT_LOG_LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(code), str(config)], capture_output=True, text=True,
                          env=env, cwd=folder)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(label: str, n: int, figures: dict) -> None:
    """One line of figures."""
    if "error" in figures and "peak_mb" not in figures:
        print(f"  {label:<9} failed: {figures['error']}")
        return
    print(f"  {label:<9} peak RSS {figures['peak_mb']:7,.0f} MB (after imports {figures['before_mb']:4,.0f} MB)  "
          f"{figures['seconds']:7.1f} s  {n / figures['seconds']:8,.0f} rows/s  {figures['status']}, "
          f"{figures['new']:,} new")


def main(argv: list[str] | None = None) -> None:
    """Write the export, measure this code and the baseline, print peak RSS and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows in the export (default 1,000,000)")
    parser.add_argument("--baseline", default=BASELINE, help=f"git ref of the baseline (default {BASELINE})")
    parser.add_argument("--no-baseline", action="store_true", help="measure only this code")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="plaudit-import-") as tmp:
        folder = Path(tmp)
        export = folder / "export.csv"
        start = time.perf_counter()
        write_export(args.n, export)
        print(f"export: {args.n:,} rows, {export.stat().st_size / 1e6:,.0f} MB, written in "
              f"{time.perf_counter() - start:.0f} s")
        now = measure(ROOT, export, folder / "current")
        show("this code", args.n, now)
        if not args.no_baseline:
            tree = baseline_tree(args.baseline, folder)
            base = measure(tree, export, folder / "base") if tree else {"error": f"git archive {args.baseline}"}
            show("baseline", args.n, base)
            if "peak_mb" in now and "peak_mb" in base:
                print(f"  ratio    baseline / this code peak RSS: {base['peak_mb'] / now['peak_mb']:.1f}x")
        if "peak_mb" in now:
            verdict = "under" if now["peak_mb"] < TARGET_MB else "OVER"
            print(f"  target   {verdict} {TARGET_MB} MB")


if __name__ == "__main__":
    main()
