"""Forms that ask "what did we do well?" and "what could we do better?" (issue 12, section 1): only the first is a
quote candidate; the second is stored, scored, counted in the run report and listed for staff, never quoted.
"""

from __future__ import annotations

import csv
import io

import pytest

from pipeline import steps
from pipeline.models import SourceConfig
from pipeline.runs import run_nightly
from pipeline.sources.forms_csv import parse_csv_text, resolve_columns
from plaudit.cli import main
from storage import reviews as review_store

HEADERS = ["Entry Id", "Entry Date", "Name (First)", "Name (Last)", "How would you rate your visit?",
           "What did we do well?", "What could we do better?", "Consent (Consent)"]
ROWS = {  # Entry Id: (praise, improvement)
    "1": ("Dr. Lee listened to everything and the nurses were wonderful.", "Please add Saturday hours."),
    "2": ("The infusion room was calm and the staff were kind.", "Nothing, everything was perfect."),
    "3": ("", "The front desk was rude and I waited two hours past my appointment."),
    "4": ("The team was patient and explained every option.", "Honestly some nights I think about ending my life."),
    "5": ("Short wait and a very thorough doctor.", ""),
}


def export(rows: dict[str, tuple[str, str]] = ROWS) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for entry, (praise, improvement) in rows.items():
        writer.writerow([entry, f"2026-11-0{entry} 10:00:00", f"Pat{entry}", "Rogers", "5", praise, improvement,
                         "Checked"])
    return out.getvalue()


@pytest.fixture
def run(make_settings, tmp_path):
    (tmp_path / "form.csv").write_text(export(), encoding="utf-8")
    settings = make_settings('[[sources]]\nname = "form"\nkind = "csv"\npath = "form.csv"\npreset = "gravityforms"\n')
    return settings, run_nightly(settings)


def stored(settings) -> dict[str, dict]:
    with steps.open_store(settings) as db:
        return {r["external_id"]: r for r in db.query("SELECT * FROM reviews")}


def test_praise_and_improvement_questions_map_to_their_own_fields():
    columns = resolve_columns(HEADERS, "gravityforms")
    assert columns["text"] == (5,) and columns["improvement"] == (6,)
    both = ["Timestamp", "What went well today?", "How could we improve your experience?"]
    assert resolve_columns(both)["text"] == (1,) and resolve_columns(both)["improvement"] == (2,)


def test_a_lone_comments_or_suggestions_column_is_still_the_review_text():
    columns = resolve_columns(["Date", "Name", "Comments or suggestions", "Rating"])
    assert columns["text"] == (2,) and "improvement" not in columns


def test_columns_can_name_both_text_fields():
    headers = ["Id", "Q1", "Q2"]
    columns = resolve_columns(headers, "generic", {"text": "Q1", "improvement": "Q2"})
    assert columns["text"] == (1,) and columns["improvement"] == (2,)


def test_a_form_that_only_asks_what_to_improve_keeps_its_answers_for_staff():
    config = SourceConfig(name="f", kind="csv")
    parsed = parse_csv_text("Id,What could we improve?\n1,More parking please.\n2,\n", config)
    assert [(r.text, r.improvement) for r in parsed.reviews] == [("", "More parking please.")]
    assert parsed.skipped[0].expected  # the empty answer is a normal skip


def test_improvement_answers_are_stored_scored_and_counted(run):
    settings, report = run
    rows = stored(settings)
    assert rows["1"]["improvement"] == "Please add Saturday hours." and rows["5"]["improvement"] is None
    kinds = {k: rows[k]["improvement_kind"] for k in "1234"}
    assert kinds == {"1": "suggestion", "2": "satisfied", "3": "complaint", "4": "crisis"}
    assert rows["3"]["improvement_compound"] < 0 < rows["2"]["improvement_compound"]
    counted = {k: v for k, v in report["score"].items() if k.startswith("improvement_")}
    assert counted == {"improvement_crisis": 1, "improvement_complaint": 1, "improvement_suggestion": 1,
                       "improvement_satisfied": 1}


def test_only_the_praise_field_is_ever_suggested(run):
    settings, _ = run
    with steps.open_store(settings) as db:
        quotes = {r[0]: r[1] for r in db.execute(
            "SELECT r.external_id, q.suggested_excerpt FROM quotes q JOIN reviews r ON r.id = q.review_id")}
    assert set(quotes) == {"1", "2", "5"}  # 3 has no praise; 4 is held for its crisis language
    for entry, excerpt in quotes.items():
        assert ROWS[entry][1] == "" or ROWS[entry][1] not in excerpt
        assert excerpt in ROWS[entry][0]


def test_crisis_language_in_the_improvement_answer_reaches_a_person(run):
    settings, report = run
    with steps.open_store(settings) as db:
        holds = list(db.query("SELECT h.reason, h.detail, r.external_id FROM holds h JOIN reviews r "
                              "ON r.id = h.review_id"))
    assert [(h["reason"], h["external_id"]) for h in holds] == [("crisis", "4")]
    assert "improvement answer" in holds[0]["detail"] and report["hold"]["crisis_open"] == 1


def test_feedback_command_lists_answers_by_kind(run, capsys):
    settings, _ = run
    config = ["--config", str(settings.config_path)]
    assert main(config + ["feedback"]) == 0
    out = capsys.readouterr().out
    assert "1 crisis, 1 complaint, 1 suggestion, 1 satisfied, 0 other" in out
    assert "Please add Saturday hours." in out and "waited two hours" in out
    assert main(config + ["feedback", "--kind", "suggestion"]) == 0
    out = capsys.readouterr().out
    assert "Please add Saturday hours." in out and "waited two hours" not in out


def test_an_edited_improvement_answer_is_a_new_version_and_retention_purges_it(run, tmp_path):
    settings, _ = run
    edited = dict(ROWS, **{"1": (ROWS["1"][0], "Please add Saturday and Sunday hours.")})
    (tmp_path / "form.csv").write_text(export(edited), encoding="utf-8")
    run_nightly(settings)
    rows = stored(settings)
    assert rows["1"]["version"] == 2 and rows["2"]["version"] == 1
    with steps.open_store(settings) as db:
        old = db.execute("SELECT improvement FROM review_versions WHERE review_id = ?", [rows["1"]["id"]]).fetchone()
        assert old[0] == "Please add Saturday hours."
        review_store.purge_text(db, "form", "9999-12-31", "2026-12-01T00:00:00+00:00")
        db.conn.commit()
    assert all(r["improvement"] is None for r in stored(settings).values())
