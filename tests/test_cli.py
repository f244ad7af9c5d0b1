"""The command line: JSON Lines tools without a store, and the staff commands over a real store."""

from __future__ import annotations

import io
import json

import pytest

from plaudit.cli import main
from tests.test_pipeline_e2e import demo_settings


def run_cli(monkeypatch, capsys, args, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_score_reads_and_writes_json_lines(monkeypatch, capsys):
    lines = "\n".join([
        json.dumps({"id": "a", "text": "The nurses were wonderful and kind!", "rating": 5, "author": "Patsy Rogers"}),
        "{not json",
        json.dumps({"id": "b", "text": "Rude desk, waited two hours. Call me 813-555-0147.", "rating": 5}),
        json.dumps({"text": "<script>alert(1)</script>Lovely staff, spotless office.", "rating": "five"}),
    ])
    code, out, err = run_cli(monkeypatch, capsys, ["score"], lines)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1  # some lines were skipped, and each was reported
    assert [r["id"] for r in records] == ["a", "b"]
    assert records[0]["compound"] > 0.5 and records[0]["suggest"] is True
    assert records[0]["sentences"][0]["text"] == "The nurses were wonderful and kind!"
    flags_b = {f["name"] for f in records[1]["flags"]}
    assert flags_b == {"patient_detail", "mismatch"} and records[1]["suggest"] is False
    assert [json.loads(e)["line"] for e in err.strip().splitlines()] == [2, 4]


def test_dedupe_writes_cluster_per_id(monkeypatch, capsys):
    rows = [
        {"id": "1", "text": "The whole staff is warm and welcoming, they made a scary time easier.", "author": "Maria Lopez"},
        {"id": "2", "text": "The whole staff is warm and welcoming!! They made a scary time easier 😊", "author": "Maria L."},
        {"id": "3", "text": "Everything was very good.", "author": "Tom Nguyen"},
        {"id": "4", "text": "Everything was very good.", "author": "Grace Howell"},
    ]
    code, out, _ = run_cli(monkeypatch, capsys, ["dedupe"], "\n".join(json.dumps(r) for r in rows))
    clusters = {r["id"]: r["cluster"] for r in map(json.loads, out.splitlines())}
    assert code == 0
    assert clusters["1"] == clusters["2"] and clusters["3"] != clusters["4"]


def test_init_writes_a_config_that_loads(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run_cli(monkeypatch, capsys, ["init"])[0] == 0
    assert run_cli(monkeypatch, capsys, ["init"])[0] == 2  # refuses to overwrite
    assert "[[sources]]" in (tmp_path / "plaudit.toml").read_text()


def test_bad_config_is_a_clear_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "bad.toml").write_text("[plaudit]\nmax_pages = 'x'\n")
    code, _, err = run_cli(monkeypatch, capsys, ["--config", str(tmp_path / "bad.toml"), "queue"])
    assert code == 2 and "max_pages" in err


@pytest.fixture
def demo_config(tmp_path, local_server):
    return demo_settings(local_server, tmp_path).config_path


def test_staff_commands_over_a_real_store(demo_config, monkeypatch, capsys):
    config = ["--config", str(demo_config)]
    code, out, _ = run_cli(monkeypatch, capsys, config + ["run", "--no-prefect"])
    assert code == 3 and "review-form: 11 fetched" in out  # partial: one broken export row was skipped
    code, out, _ = run_cli(monkeypatch, capsys, config + ["queue"])
    consented = [block for block in out.split("\n[") if "form consent: given" in block]
    first = int(consented[0].lstrip("[").split("]")[0])
    assert code == 0 and "form consent" in out
    code, out, _ = run_cli(monkeypatch, capsys, config + ["approve", str(first), "--by", "amy", "--tag", "Staff"])
    assert code == 0 and "now shows 1 testimonials" in out
    published = json.loads((demo_config.parent / "public" / "testimonials.json").read_text())
    assert published["testimonials"][0]["tags"] == ["staff"]
    code, out, _ = run_cli(monkeypatch, capsys, config + ["unpublish", str(first), "--by", "amy"])
    assert code == 0 and "now shows 0 testimonials" in out
    code, _, err = run_cli(monkeypatch, capsys, config + ["approve", "99999"])
    assert code == 2 and "no quote 99999" in err
    code, out, _ = run_cli(monkeypatch, capsys, config + ["audit", "verify"])
    assert code == 0 and "2 entries, chain intact" in out
    code, out, _ = run_cli(monkeypatch, capsys, config + ["status"])
    assert "source health-directory: last success" in out
