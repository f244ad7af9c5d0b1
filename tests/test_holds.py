"""Held is never hidden: crisis, mismatch, language, spam and copies reach a person the same night.

Issue 9, item 1: a crisis review was flagged and then kept out of the queue, so nobody ever saw it.
"""

from __future__ import annotations

import json

import pytest

from pipeline import steps
from pipeline.publish import holds
from pipeline.runs import run_nightly
from plaudit.cli import main
from storage import holds as hold_store

HEADER = '"Entry Id","Entry Date","Name (First)","Name (Last)","Email","Phone","Rating","Review","Consent"\n'
ROWS = {
    "crisis": ("Some nights I think about ending my life. The staff here listened and helped me.", "5"),
    "mismatch": ("Rude front desk, waited two hours, and nobody called me back. Terrible.", "5"),
    "spanish": ("El personal fue muy amable y la clínica estaba muy limpia. Gracias por todo.", "5"),
    "link": ("Great clinic!!! Visit www.cheap-pills.example for discounts", "5"),
    "praise": ("The nurses were kind and the office was spotless. I felt safe the whole time.", "5"),
}


def form_csv(rows: dict[str, tuple[str, str]]) -> str:
    lines = [HEADER]
    for i, (key, (text, rating)) in enumerate(rows.items(), 1):
        lines.append(f'"{i}","2026-11-0{i} 10:00:00","Pat{key}","Rogers","p@example.com","","{rating}","{text}","Checked"\n')
    return "".join(lines)


@pytest.fixture
def store(make_settings, tmp_path, local_server):
    received = []
    local_server.route_handler("/hook", lambda request: (received.append(json.loads(request.body)), (204, {}, b""))[1])
    (tmp_path / "form.csv").write_text(form_csv(ROWS), encoding="utf-8")
    settings = make_settings(
        '[[sources]]\nname = "form"\nkind = "csv"\npath = "form.csv"\n'
        'columns = { first_name = "Name (First)", last_name = "Name (Last)", rating = "Rating", '
        'text = "Review", consent = "Consent", id = "Entry Id", submitted_at = "Entry Date" }\n',
        attention_webhook=local_server.url("/hook"))
    report = run_nightly(settings)
    return settings, report, received


def open_holds(settings) -> dict[str, dict]:
    with steps.open_store(settings) as db:
        return {h["reason"]: h for h in holds.held_reviews(db)}


def test_a_crisis_review_is_listed_first_counted_and_notified_without_text(store):
    settings, report, received = store
    found = open_holds(settings)
    assert list(found)[0] == "crisis"
    assert {"crisis", "mismatch", "non_english", "link"} <= set(found)
    assert report["hold"]["new_crisis"] == 1 and report["hold"]["crisis_open"] == 1
    assert len(received) == 1 and received[0]["crisis_new"] == 1
    assert "ending my life" not in json.dumps(received) and "Patcrisis" not in json.dumps(received)


def test_attention_command_lists_crisis_before_everything_with_its_text(store, capsys):
    settings, _, _ = store
    assert main(["--config", str(settings.config_path), "attention"]) == 0
    out = capsys.readouterr().out
    assert out.index("CRISIS") < out.index("STARS AND TEXT DISAGREE") < out.index("NOT IN ENGLISH")
    assert "Some nights I think about ending my life" in out


def test_held_reviews_are_not_suggested_until_released(store, capsys):
    settings, _, _ = store
    found = open_holds(settings)
    with steps.open_store(settings) as db:
        queued = {r[0] for r in db.execute("SELECT review_id FROM quotes")}
    assert not queued & {h["review_id"] for h in found.values()}
    config = ["--config", str(settings.config_path)]
    assert main(config + ["release", str(found["crisis"]["id"])]) == 2
    assert "never published" in capsys.readouterr().err
    assert main(config + ["release", str(found["non_english"]["id"]), "--by", "amy"]) == 0
    with steps.open_store(settings) as db:
        assert db.execute("SELECT count(*) FROM quotes WHERE review_id = ?",
                          [found["non_english"]["review_id"]]).fetchone()[0] == 1
    assert main(config + ["handle", str(found["crisis"]["id"]), "--by", "amy", "--note", "called"]) == 0
    remaining = open_holds(settings)
    assert "crisis" not in remaining and "non_english" not in remaining


def test_a_rerun_records_no_hold_twice_and_a_new_version_reopens_a_handled_one(store, tmp_path):
    settings, _, received = store
    crisis = open_holds(settings)["crisis"]
    with steps.open_store(settings) as db:
        holds.mark_handled(db, crisis["id"], "amy")
    again = run_nightly(settings)
    assert "new_crisis" not in again["hold"] and len(received) == 1  # nothing new: no second notice
    rows = dict(ROWS, crisis=(ROWS["crisis"][0] + " I still want to die some days.", "5"))
    (tmp_path / "form.csv").write_text(form_csv(rows), encoding="utf-8")
    third = run_nightly(settings)
    assert third["hold"]["new_crisis"] == 1
    with steps.open_store(settings) as db:
        assert len(hold_store.holds_of_review(db, crisis["review_id"])) == 1
        assert hold_store.holds_of_review(db, crisis["review_id"])[0]["state"] == "open"


def test_an_empty_form_answer_is_reported_but_the_run_is_ok(make_settings, tmp_path):
    # Issue 9, item 13: one empty answer made the first run "partial" (exit 3), and cron mailed every night.
    rows = dict(ROWS, empty=("", "4"))
    (tmp_path / "form.csv").write_text(form_csv(rows), encoding="utf-8")
    settings = make_settings('[[sources]]\nname = "form"\nkind = "csv"\npath = "form.csv"\n'
                             'columns = { text = "Review", rating = "Rating", id = "Entry Id" }\n')
    report = run_nightly(settings)
    form = report["sources"]["form"]
    assert report["status"] == "ok" and form["status"] == "ok"
    assert form["skipped"] == 1 and form["skipped_normal"] == 1 and "no review text" in form["skipped_items"][0]


def test_the_run_report_counts_new_reviews_by_sentiment_and_flag_and_runs_lists_it(store, capsys):
    settings, report, _ = store
    score = report["score"]
    assert score["scored"] == len(ROWS) == score["positive"] + score["neutral"] + score["negative"]
    assert score["negative"] >= 1 and score["flagged"]["crisis"] == 1 and score["flagged"]["mismatch"] == 1
    assert main(["--config", str(settings.config_path), "runs"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith(f"run {report['run_id']} · ") and f"· {report['status']} · plain · 5 new" in line


def test_shouting_is_held_for_a_person_and_may_be_released():
    flags = [{"name": "shouting", "detail": "18 of 25 words in capitals", "spans": []}]
    assert holds.hold_reasons(flags) == [("shouting", "18 of 25 words in capitals")]
    assert "shouting" in holds.RELEASABLE
