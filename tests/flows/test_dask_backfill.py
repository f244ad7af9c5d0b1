"""The Dask path: a nightly run whose score stage runs in id ranges on a local two-worker Dask cluster.

The reviews carry a planted canary: it must reach no log, console output, artifact or Prefect's database, and
every review must end up with the scores the in-process scorer gives it.
"""

from __future__ import annotations

import json
import logging

import pytest

from bench.synthetic import reviews, write_csv_exports
from pipeline.judge.scoring import configure_scoring, score_rows
from pipeline.settings import load_settings
from pipeline.steps import open_store
from storage import reviews as review_store
from tests.flows.test_canary import CANARY, prefect_database

pytestmark = pytest.mark.flow
N, RANGE = 600, 150
CONFIG = """
[plaudit]
data_dir = "data"

[[sources]]
name = "history"
kind = "csv"
path = "exports/*.csv"
preset = "gravityforms"
columns = { text = "Review", rating = "Rating", consent = "Consent" }
"""


def test_backfill_scores_in_ranges_on_two_dask_workers_and_leaks_no_text(prefect_harness, tmp_path, monkeypatch,
                                                                          caplog, capfd):
    from prefect.client.orchestration import get_client

    from flows.nightly import run_flow
    from pipeline import backfill

    rows = reviews(N, seed=23)
    for i, row in enumerate(rows):
        if i % 3 == 0:
            row["Review"] += f" Ask {CANARY} at the desk."
            row["Name (First)"] = CANARY
    write_csv_exports(rows, tmp_path / "exports")
    (tmp_path / "plaudit.toml").write_text(CONFIG)
    settings = load_settings(tmp_path / "plaudit.toml", env={})
    monkeypatch.setattr(backfill, "RANGE", RANGE)  # small ranges, so a small corpus still makes several tasks
    caplog.set_level(logging.DEBUG)

    report = run_flow(settings, dask_workers=2)

    assert report["status"] == "ok", report
    assert report["sources"]["history"]["new"] == N
    assert report["score"]["scored"] == N and report["score"]["ranges"] == N // RANGE
    assert report["score"]["dask_workers"] == 2
    with open_store(settings) as db:
        assert review_store.count_needing(db, "needs_score") == 0
        assert db.execute("SELECT count(*) FROM reviews WHERE text LIKE ?", (f"%{CANARY}%",)).fetchone()[0] == N // 3
        stored = {r[0]: (r[1], r[2], r[3]) for r in db.execute("SELECT id, compound, flags, language FROM reviews")}
        texts = review_store.fetch(db, sorted(stored), ("text", "rating", "author", "improvement"))
    configure_scoring(settings)
    expected = {rid: (compound, flags, language)
                for rid, compound, _, flags, language, *_ in score_rows(texts, None, settings.staff_names)}
    assert stored == expected

    with get_client(sync_client=True) as client:
        artifacts = [json.dumps(a.data) + (a.description or "") for a in client.read_artifacts()]
    out, err = capfd.readouterr()
    logs = "\n".join(r.getMessage() + str(r.exc_text or "") for r in caplog.records)
    for name, text in {"log records": logs, "console": out + err, "artifacts": "\n".join(artifacts)}.items():
        assert CANARY not in text, f"canary found in {name}"
    for path in prefect_database():
        assert CANARY.encode() not in path.read_bytes(), f"canary found in {path}"
