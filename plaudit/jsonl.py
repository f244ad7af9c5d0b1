"""`plaudit score` and `plaudit dedupe`: the pipeline's own scoring and deduplication over JSON Lines.

Input lines are objects with `text` and optionally `id`, `rating`, `author`, `source`, `date`. A line that is
not such an object is reported on stderr with its line number and skipped; the rest are processed. No store.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from pipeline.dedupe.clustering import COPIED_TEXT, SHARED_FRAGMENT
from pipeline.dedupe.assign import assign
from pipeline.dedupe.matching import DedupeItem
from pipeline.judge.scoring import configure_scoring, score_record
from pipeline.publish.suggest import eligible, suggestion
from pipeline.settings import Settings, load_settings
from pipeline.text import clean_text

EXIT_OK, EXIT_SOME_SKIPPED = 0, 1


def read_records(lines: TextIO, errors: TextIO) -> tuple[list[dict[str, Any]], int]:
    """The usable records and how many lines were skipped (each reported on `errors` with its number)."""
    records, skipped = [], 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(_parse(line, number))
        except ValueError as exc:
            print(json.dumps({"line": number, "error": str(exc)[:200]}), file=errors)
            skipped += 1
    return records, skipped


def _parse(line: str, number: int) -> dict[str, Any]:
    record = json.loads(line)
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError("expected an object with a string 'text'")
    rating = record.get("rating")
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, (int, float))):
        raise ValueError("'rating' must be a number")
    record.setdefault("id", str(number))
    return {**record, "_line": number}


def scored_output(record: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """A record with its score, sentence scores, flags and whether it would be suggested."""
    text = clean_text(record["text"])
    author = record.get("author") if isinstance(record.get("author"), str) else None
    improvement = clean_text(record["improvement"]) if isinstance(record.get("improvement"), str) else None
    scored = score_record(text, record.get("rating"), author, settings.staff_names, improvement)
    row = {"id": record["id"], "text": text, "rating": record.get("rating"), "author": record.get("author"),
           "compound": scored.compound, "sentences": scored.sentences, "flags": scored.flags, "version": 1}
    suggest = bool(text) and eligible(row, settings) and suggestion(row, settings) is not None
    record = {k: v for k, v in record.items() if k != "_line"}
    return {**record, "compound": scored.compound, "language": scored.language,
            "sentences": [{"start": s, "end": e, "compound": c, "text": text[s:e]} for s, e, c in scored.sentences],
            "flags": scored.flags, "suggest": suggest,
            **({"improvement_compound": scored.improvement_compound, "improvement_kind": scored.improvement_kind}
               if improvement else {})}


def score_stream(lines: TextIO, out: TextIO, errors: TextIO) -> int:
    """Score every usable line, writing one JSON line each."""
    settings = load_settings()
    configure_scoring(settings)
    records, skipped = read_records(lines, errors)
    for record in records:
        out.write(json.dumps(scored_output(record, settings), ensure_ascii=False) + "\n")
    return EXIT_SOME_SKIPPED if skipped else EXIT_OK


def dedupe_stream(lines: TextIO, out: TextIO, errors: TextIO) -> int:
    """Cluster every usable line, writing {"id", "cluster", "flags"} for each; ids must be unique."""
    records, skipped = read_records(lines, errors)
    records, repeated = _unique_ids(records, errors)
    items = [DedupeItem(id=str(r["id"]), text=clean_text(r["text"]), author=r.get("author"),
                        source=r.get("source"), date=r.get("date"), rating=r.get("rating")) for r in records]
    placed = assign(items)
    copied = {i for p in placed.pairs if not p.same_author for i in (p.a, p.b)}
    shared = {i for pair in placed.fragments for i in pair}
    for item in items:
        flags = ([COPIED_TEXT] if item.id in copied else []) + ([SHARED_FRAGMENT] if item.id in shared else [])
        out.write(json.dumps({"id": item.id, "cluster": placed.anchors.get(item.id, item.id), "flags": flags}) + "\n")
    return EXIT_SOME_SKIPPED if skipped or repeated else EXIT_OK


def _unique_ids(records: list[dict[str, Any]], errors: TextIO) -> tuple[list[dict[str, Any]], int]:
    """The first record of each id; every later one is reported on `errors` and left out."""
    first: dict[str, int] = {}
    kept, repeated = [], 0
    for record in records:
        key = str(record["id"])
        if key in first:
            print(json.dumps({"line": record.get("_line"), "error": f"duplicate id {key!r} (first on line "
                                                                     f"{first[key]}); this line is left out"}),
                  file=errors)
            repeated += 1
            continue
        first[key] = record.get("_line")
        kept.append(record)
    return kept, repeated
