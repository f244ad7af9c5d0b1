"""Scoring faster must not score differently (issue 12): every pinned case judged as the golden file says.

The cases and their judgements are in `tests/fixtures/judgement/golden.jsonl.gz`, written by
`python -m tests.judgement_corpus --write` from the code before the speed-ups; see `tests/judgement_corpus.py`.
"""

from __future__ import annotations

import json

import pytest

from pipeline.judge import sentiment
from tests.judgement_corpus import judge, read_golden


@pytest.fixture(scope="module")
def golden():
    sentiment.configure(None)  # the default clinic rules, whatever an earlier test configured
    return read_golden()


def test_golden_corpus_covers_every_kind_of_judgement(golden):
    flags = {f["name"] for record in golden for f in record["judgement"]["flags"]}
    assert len(golden) > 4000
    assert {"patient_detail", "crisis", "health_claim", "spam", "insider", "incentivized", "suspicious", "profanity",
            "mismatch", "shouting", "non_english", "suggestion"} <= flags
    assert any(r["judgement"]["suggested"] for r in golden) and any(r["case"]["improvement"] for r in golden)


def test_every_text_is_judged_as_before(golden):
    changed = []
    for record in golden:
        now = judge(record["case"])
        if now != record["judgement"]:
            fields = sorted(k for k in now if now[k] != record["judgement"].get(k))
            changed.append(f"{record['key']} {fields} {record['case']['text'][:70]!r}")
    assert not changed, f"{len(changed)} of {len(golden)} judgements changed:\n" + "\n".join(changed[:30])


def test_a_changed_judgement_is_caught(golden):
    record = next(r for r in golden if r["judgement"]["flags"] and r["judgement"]["sentences"])
    altered = json.loads(json.dumps(record["judgement"]))
    altered["sentences"][0][2] = round(altered["sentences"][0][2] + 0.0001, 4)
    assert judge(record["case"]) == record["judgement"] != altered
