"""Load benchmark of the public API: `/v1/testimonials` (20 a response) against Datasette serving the same
public store file, measured in the same run, at 32 connections on 127.0.0.1, bounded in time.

    python bench/public_load.py                    # 100,000 synthetic reviews, 10 s per target
    python bench/public_load.py --n 20000 --seconds 5

The public store is built the real way: synthetic form exports (bench/synthetic.py) are collected into an
internal store, the warmest consented reviews are approved as quotes (excerpt: their first sentence, the
suggested attribution, form consent), and the real publish step (gate, summary of all reviews, atomic swap)
writes `published.db`. Then `plaudit serve public` and `datasette serve` run as their own processes, one at a
time under load, and Debian's `wrk` (installed with apt when missing and allowed) measures requests/s and
latency percentiles. Datasette is measured twice: its table JSON as is, and with `_nocount=1&_nofacet=1` (its
fastest form, the baseline of the ratio). The target is at least 20x Datasette with p99 under 10 ms. Other
processes on the machine move these figures: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import iter_reviews, write_csv_exports  # noqa: E402
from pipeline import steps  # noqa: E402
from pipeline.publish.build import publish  # noqa: E402
from pipeline.publish.quotes import attribution  # noqa: E402
from pipeline.runs import begin_run  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from pipeline.text import sentences  # noqa: E402
from storage.db import utc_now, write_transaction  # noqa: E402

CONFIG = """
[plaudit]
data_dir = "data"
practice_name = "Bench Clinic"

[[locations]]
id = "tampa"
name = "Tampa"

[[sources]]
name = "bench-form"
kind = "csv"
label = "Patient feedback form"
path = "exports/*.csv"
preset = "gravityforms"
columns = { text = "Review", rating = "Rating", consent = "Consent" }
consent_version = "bench"
location = "tampa"
"""
TAGS = ('["staff"]', '["billing", "staff"]', '[]', '["infusion"]')
PROVIDERS = ("Dr. Alvarez", "Dr. Chen", None, None)


def ensure_wrk() -> str:
    """The path of wrk, installing Debian's package when it is missing and this user may."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing Debian's wrk (apt-get install wrk) ...", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return shutil.which("wrk") or sys.exit("wrk did not install")
    sys.exit("this benchmark needs wrk: `sudo apt-get install wrk` (or `make bench-setup` as root)")


def build_public_store(folder: Path, n: int, quotes: int):
    """Collect n synthetic reviews, approve up to `quotes` of them, publish; returns the settings."""
    write_csv_exports(iter_reviews(n), folder / "exports")
    (folder / "plaudit.toml").write_text(CONFIG)
    settings = load_settings(folder / "plaudit.toml", env={})
    start = time.perf_counter()
    steps.collect_source(settings, "bench-form", None, begin_run(settings, "bench"))
    with steps.open_store(settings) as db:
        approve(db, quotes)
        counts = publish(db, settings, "bench")
    print(f"public store: {n:,} reviews collected, {counts['published']:,} testimonials published "
          f"({counts['held_back']} held back) in {time.perf_counter() - start:.1f} s", flush=True)
    return settings


def approve(db, limit: int) -> None:
    """Approve the consented 5-star reviews' first sentences, as staff would (form consent authorizes them)."""
    now = utc_now()
    rows = db.execute("SELECT id, text, author, consent_version, consent_at FROM reviews WHERE rating = 5 "
                      "AND consent_given = 1 ORDER BY id LIMIT ?", (limit,)).fetchall()
    with write_transaction(db):
        for i, (review_id, text, author, version, given_at) in enumerate(rows):
            excerpt = sentences(text)[0]
            db.conn.execute(
                "INSERT INTO quotes (review_id, status, suggested_excerpt, excerpt, suggested_attribution, "
                "attribution, tags, review_version, created_at, updated_at, decided_by, decided_at, provider) "
                "VALUES (?, 'approved', ?, ?, ?, ?, ?, 1, ?, ?, 'bench', ?, ?)",
                (review_id, excerpt, excerpt, attribution(author), attribution(author), TAGS[i % 4], now, now, now,
                 PROVIDERS[i % 4]))
            db.conn.execute(
                "INSERT INTO authorizations (review_id, kind, reference, text_version, given_at, recorded_by, "
                "recorded_at) VALUES (?, 'form_consent', 'bench form', ?, ?, 'bench', ?)",
                (review_id, version, given_at, now))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], url: str) -> subprocess.Popen:
    """Start a server process and wait until `url` answers 200."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{command[0]} exited: {process.stderr.read()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.terminate()
    sys.exit(f"{' '.join(command)} did not answer {url}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def measure(wrk: str, url: str, seconds: int, connections: int) -> dict[str, float]:
    """wrk's requests/s and p50/p99 latency (ms) for one URL, after a short warm-up."""
    subprocess.run([wrk, "-t2", f"-c{connections}", "-d2s", url], capture_output=True, check=True)
    out = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{url} answered {errors.group(1)} errors under load:\n{out}")
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
            "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))}


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def check_same_data(ours: str, theirs: str) -> None:
    """Both servers answer 20 testimonials from the same file (a fair comparison)."""
    mine = requests.get(ours, timeout=10).json()["testimonials"]
    rows = requests.get(theirs, timeout=10).json()["rows"]
    assert len(mine) == len(rows) == 20, (len(mine), len(rows))
    assert [t["id"] for t in mine] == [r["id"] for r in rows], "the two servers show different testimonials"


def run(settings, seconds: int, connections: int) -> None:
    """Serve the public store both ways, load each in turn, print the figures and the ratio."""
    wrk = ensure_wrk()
    ours_port, theirs_port = free_port(), free_port()
    table = f"http://127.0.0.1:{theirs_port}/published/testimonials.json?_size=20&_shape=objects&_sort=position"
    urls = {"plaudit /v1/testimonials": f"http://127.0.0.1:{ours_port}/v1/testimonials?limit=20",
            "datasette table JSON": table,
            "datasette rows only": table + "&_nocount=1&_nofacet=1"}  # its fastest form: the baseline
    plaudit = [sys.executable, "-m", "plaudit.cli", "--config", str(settings.config_path), "serve", "public",
               "--port", str(ours_port)]
    datasette = [sys.executable, "-m", "datasette", "serve", "--immutable", str(settings.public_db),
                 "--port", str(theirs_port), "--host", "127.0.0.1"]
    servers = [start(plaudit, urls["plaudit /v1/testimonials"]), start(datasette, table)]
    results = {}
    try:
        check_same_data(urls["plaudit /v1/testimonials"], table)
        for name, url in urls.items():  # one at a time: the idle server uses no CPU
            results[name] = row = measure(wrk, url, seconds, connections)
            print(f"  {name:<26} {row['rps']:>10,.0f} req/s   p50 {row['p50']:7.2f} ms   p99 {row['p99']:7.2f} ms",
                  flush=True)
    finally:
        for process in servers:
            stop(process)
    ours, theirs = results["plaudit /v1/testimonials"], results["datasette rows only"]
    ratio = ours["rps"] / theirs["rps"]
    met = "met" if ratio >= 20 and ours["p99"] < 10 else "NOT met"
    print(f"ratio plaudit / datasette (rows only, its faster form): {ratio:.1f}x throughput; p99 {ours['p99']:.2f} ms against "
          f"{theirs['p99']:.2f} ms (target: >= 20x and p99 < 10 ms: {met})")


def main(argv: list[str] | None = None) -> None:
    """Build the store, run both servers under load, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic reviews (default 100,000)")
    parser.add_argument("--quotes", type=int, default=1_000, help="testimonials to approve (default 1,000)")
    parser.add_argument("--seconds", type=int, default=10, help="load per server, seconds (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="open connections (default 32)")
    args = parser.parse_args(argv)
    try:
        import datasette  # noqa: F401
    except ImportError:
        sys.exit("this benchmark compares with Datasette: pip install -e '.[bench]' (or `make bench-setup`)")
    with tempfile.TemporaryDirectory(prefix="plaudit-public-load-") as tmp:
        settings = build_public_store(Path(tmp), args.n, args.quotes)
        print(f"load: {args.connections} connections, {args.seconds} s per server, 2 wrk threads, 127.0.0.1",
              flush=True)
        run(settings, args.seconds, args.connections)


if __name__ == "__main__":
    main()
