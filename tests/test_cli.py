"""The command line: JSON Lines tools without a store, and the staff commands over a real store."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

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


def test_score_and_status_close_quietly_when_the_reader_goes_away(tmp_path):
    # Issue 9, item 11: `plaudit score … | head -1` ended in a BrokenPipeError traceback.
    lines = "\n".join(json.dumps({"text": f"Kind staff number {i}."}) for i in range(3000)) + "\n"
    (tmp_path / "in.jsonl").write_text(lines)
    plaudit = Path(sys.executable).with_name("plaudit")
    done = subprocess.run(f"'{plaudit}' score < in.jsonl | head -1", shell=True, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert json.loads(done.stdout)["id"] == "1"
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_global_options_work_after_the_command(make_settings, capsys):
    # Issue 9, item 12: `plaudit demo --data-dir X` was refused.
    settings = make_settings('[[sources]]\nname = "f"\nkind = "csv"\npath = "a.csv"\n')
    assert main(["queue", "--config", str(settings.config_path), "--data-dir", str(settings.data_dir / "x")]) == 0
    assert "no suggested quotes" in capsys.readouterr().out
    assert (settings.data_dir / "x" / "plaudit.db").exists()


def test_run_without_a_config_or_sources_says_so_and_creates_nothing(tmp_path, monkeypatch, capsys):
    # Issue 9, item 9: `plaudit run` in a folder without plaudit.toml said "run 1: ok" and created ./data.
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--no-prefect"]) == 2
    assert "no plaudit.toml here" in capsys.readouterr().err
    (tmp_path / "plaudit.toml").write_text("[plaudit]\npractice_name = 'X'\n")
    assert main(["run", "--no-prefect"]) == 2
    assert "configures no [[sources]]" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_queue_refuses_an_unknown_status(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["queue", "--status", "foo"])
    assert exit_info.value.code == 2 and "invalid choice: 'foo'" in capsys.readouterr().err


def test_dedupe_reports_repeated_ids_and_flags_copied_text(monkeypatch, capsys):
    text = ("I was nervous before my first infusion, but Nurse Kim stayed with me and checked on me the whole "
            "time. The room was calm and spotless. I always feel safe here.")
    rows = [{"id": "1", "text": text, "author": "Maria Lopez"}, {"id": "1", "text": "Another one."},
            {"id": "2", "text": text, "author": "Tom Baker"}]
    code, out, err = run_cli(monkeypatch, capsys, ["dedupe"], "\n".join(json.dumps(r) for r in rows))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and "duplicate id '1'" in err
    assert [r["id"] for r in records] == ["1", "2"] and records[0]["cluster"] == records[1]["cluster"]
    assert all(r["flags"][0]["detail"] == "same_text_different_author" for r in records)


def test_score_holds_a_promotional_link_and_reads_ok_as_no_name(monkeypatch, capsys):
    lines = [json.dumps({"text": "Great clinic!!! Visit www.cheap-pills.example for discounts", "rating": 5}),
             json.dumps({"text": "ok"})]
    _, out, _ = run_cli(monkeypatch, capsys, ["score"], "\n".join(lines))
    link, short = [json.loads(line) for line in out.splitlines()]
    assert link["suggest"] is False and {f["name"] for f in link["flags"]} == {"spam"}
    assert short["flags"] == []


def test_readme_shows_every_command():
    from plaudit.cli import build_parser

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    missing = [name for name in commands if not re.search(rf"plaudit (--config \S+ )?{name}\b", readme)]
    assert missing == []
