"""Backfill pieces without Prefect: id ranges, scoring a range read-only, one writer; deployment targets."""

from __future__ import annotations

import pytest

from pipeline import backfill
from pipeline.errors import ConfigError
from pipeline.runs import begin_run
from pipeline.steps import collect_source, open_store, score_new
from plaudit.cli import main
from storage import reviews as review_store
from tests.test_pipeline_e2e import demo_settings

FORM = "review-form"  # 11 reviews in the demo's form export


@pytest.fixture
def collected(local_server, tmp_path):
    settings = demo_settings(local_server, tmp_path)
    run_id = begin_run(settings, "test")
    for source in settings.sources:
        collect_source(settings, source.name, None if source.kind == "csv" else _client(settings), run_id)
    return settings


def _client(settings):
    from pipeline.net.client import PoliteClient

    return PoliteClient(settings)


def test_ranges_cover_every_waiting_review_once_in_order(collected):
    ranges = backfill.plan_ranges(collected, 5)
    with open_store(collected) as db:
        waiting = review_store.ids_needing(db, "needs_score", 1000)
        parts = [review_store.ids_needing(db, "needs_score", -1, after, through) for after, through in ranges]
    assert len(waiting) == 24 and [len(part) for part in parts] == [5, 5, 5, 5, 4]
    assert [rid for part in parts for rid in part] == waiting
    with pytest.raises(ValueError):
        backfill.plan_ranges(collected, 0)


def test_ranges_scored_apart_and_stored_by_one_writer_match_the_score_stage(collected, tmp_path, local_server):
    writer = backfill.ScoreWriter(collected)
    try:
        for after, through in reversed(backfill.plan_ranges(collected, 7)):  # any order: ranges are disjoint
            writer.store(backfill.score_range(collected, after, through))
        counts = writer.counts()
    finally:
        writer.close()
    with open_store(collected) as db:
        assert review_store.count_needing(db, "needs_score") == 0
        by_ranges = sorted(db.execute("SELECT id, compound, flags, language FROM reviews").fetchall())

    again = demo_settings(local_server, tmp_path / "again")
    run_id = begin_run(again, "test")
    for source in again.sources:
        collect_source(again, source.name, None if source.kind == "csv" else _client(again), run_id)
    stage = score_new(again)
    with open_store(again) as db:
        in_process = sorted(db.execute("SELECT id, compound, flags, language FROM reviews").fetchall())
    assert by_ranges == in_process
    assert counts == {**stage, "ranges": 4}


def test_score_range_reads_while_the_writer_holds_the_store(collected):
    after, through = backfill.plan_ranges(collected, 100)[0]
    writer = open_store(collected)
    writer.conn.execute("BEGIN IMMEDIATE")  # the one writer is busy: a reader must not wait, nor try to write
    try:
        assert len(backfill.score_range(collected, after, through)) == 24
    finally:
        writer.conn.execute("ROLLBACK")
        writer.close()


def test_deployment_targets_follow_locations(make_settings):
    from flows.deploy import practice_slug, targets
    from flows.nightly import sources_of

    located = make_settings(
        '[plaudit]\npractice_name = "Sunrise Pain & Wellness"\n'
        '[[locations]]\nid = "tampa"\n[[locations]]\nid = "brandon"\n[[locations]]\nid = "empty"\n'
        '[[sources]]\nname = "a"\nkind = "csv"\npath = "a.csv"\nlocation = "tampa"\n'
        '[[sources]]\nname = "b"\nkind = "csv"\npath = "b.csv"\nlocation = "brandon"\n')
    assert targets(located, "location") == ["tampa", "brandon"]  # a location without sources gets none
    assert targets(located, "practice") == [None]
    assert practice_slug(located) == "sunrise-pain-wellness"
    assert [s.name for s in sources_of(located, "brandon")] == ["b"]
    with pytest.raises(ConfigError, match="'elsewhere' is not configured"):
        sources_of(located, "elsewhere")

    unplaced = make_settings('[[locations]]\nid = "tampa"\n[[sources]]\nname = "a"\nkind = "csv"\npath = "a.csv"\n')
    with pytest.raises(ConfigError, match="sources a have no location"):
        targets(unplaced, "location")
    with pytest.raises(ConfigError, match="no \\[\\[locations\\]\\]"):
        targets(make_settings('[[sources]]\nname = "a"\nkind = "csv"\npath = "a.csv"\n'), "location")


def test_commands_refuse_what_cannot_work(make_settings, tmp_path, capsys):
    make_settings('[[sources]]\nname = "a"\nkind = "csv"\npath = "a.csv"\n')
    config = str(tmp_path / "plaudit.toml")
    assert main(["--config", config, "run", "--no-prefect", "--dask-workers", "2"]) == 2
    assert "needs Prefect" in capsys.readouterr().err
    assert main(["--config", config, "deploy"]) == 2
    assert "PREFECT_API_URL" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--config", config, "run", "--dask-workers", "0"])
