"""Patient-detail detection on a labelled set: precision and recall per kind and overall, and reviews/s.

Labelled set: bench/data/patient_details_labelled.jsonl, synthetic Florida pain-clinic reviews written for this
bench (none copied from real data), one {"text", "spans": [{"start", "end", "kind"}], "split"?} per line; almost
half have no patient detail at all (staff names, waits, scores, prices, doses, visit dates). The clinic's staff
are STAFF_NAMES, as the `staff_names` setting would list them. Splits: "dev" (no split key; the detector was
tuned on it), "holdout1" and "holdout2" (each written after the detector was frozen and scored once before any
fix it prompted: 0.964 / 0.883 and 0.930 / 0.952 overall precision / recall, the honest unseen-text figures).

Labelling policy (what a gold span covers):
- name: a patient, relative, friend or other patient; first name plus surname or initial when written, no
  title ("Mrs. [Ortiz]"). Staff (in STAFF_NAMES, or named with a title or role) are not labelled.
- phone, email, record_number: the number, address or identifier itself ("MRN [123456]").
- address: street number to street suffix, with unit, city, state and zip when attached; a zip after
  "zip"; "live on [Oak Street]". The practice's own address is not labelled.
- date_of_birth: the date after DOB / born / birthday; "[my birthday]" when no date is given.
- age: "[67-year-old]", "[67 years old]", "I'm [67]", "age [45]", "turned [60]", "in my [70s]".

Scoring is span level: a predicted span is correct when it overlaps a gold span of the same kind
(precision); a gold span is found when a predicted span of the same kind overlaps it (recall).
Throughput is reviews per CPU second in one process (so per core, and not skewed by other load on the machine),
on the labelled texts (dense with details) and on bench.synthetic's typical ~80-word reviews.

    python bench/patient_details.py                        # scores and throughput
    python bench/patient_details.py --misses               # also list false positives and misses
    python bench/patient_details.py --export-marked        # the set as one [[kind:text]] line per review
    python bench/patient_details.py --import-marked FILE   # rebuild the JSONL from such lines
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import review_text  # noqa: E402
from pipeline.judge.detectors.patient_details import KINDS, find_patient_details  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "patient_details_labelled.jsonl"
STAFF_NAMES = ("Dr. Maria Alvarez", "Dr. Raj Patel", "Dr. Steven Goldberg", "Kim Nguyen, RN", "Jessica Moore",
               "Carlos Rivera, PA-C", "Tanya Brooks, NP", "Denise")
_MARK = re.compile(r"\[\[(\w+):([^\]\n]+?)\]\]")

Detector = Callable[[str], list[dict]]


def from_marked(line: str) -> dict:
    """A labelled record from one line of markup: "my husband [[name:John]]", newlines written as \\n.

    A line starting "@holdout " belongs to the held-out split (written after the detector was tuned).
    """
    split, line = line[1:].split(" ", 1) if line.startswith("@") else ("", line)
    line = line.replace("\\n", "\n")
    text, spans, pos = "", [], 0
    for m in _MARK.finditer(line):
        kind, value = m.group(1), m.group(2)
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} in: {line}")
        text += line[pos:m.start()]
        spans.append({"start": len(text), "end": len(text) + len(value), "kind": kind})
        text += value
        pos = m.end()
    record = {"text": text + line[pos:], "spans": spans}
    return {**record, "split": split} if split else record


def to_marked(record: dict) -> str:
    """One line of markup for a labelled record (the inverse of from_marked)."""
    text, out, pos = record["text"], "", 0
    for s in sorted(record["spans"], key=lambda s: s["start"]):
        out += text[pos:s["start"]] + f"[[{s['kind']}:{text[s['start']:s['end']]}]]"
        pos = s["end"]
    prefix = f"@{record['split']} " if record.get("split") else ""
    return prefix + (out + text[pos:]).replace("\n", "\\n")


def load_labelled(path: Path = DATA) -> list[dict]:
    """The labelled records."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def detector(staff: tuple[str, ...] = STAFF_NAMES) -> Detector:
    """find_patient_details bound to the clinic's staff names."""
    return lambda text: find_patient_details(text, staff)


def score(records: list[dict], detect: Detector) -> dict[str, dict[str, int]]:
    """Counts per kind: predicted, predicted-and-correct, gold, gold-and-found."""
    counts = {k: {"pred": 0, "pred_ok": 0, "gold": 0, "gold_found": 0} for k in KINDS}
    for record in records:
        for kind, pred, gold in _pairs(record, detect):
            c = counts[kind]
            c["pred"] += len(pred)
            c["pred_ok"] += sum(any(_overlap(p, g) for g in gold) for p in pred)
            c["gold"] += len(gold)
            c["gold_found"] += sum(any(_overlap(p, g) for p in pred) for g in gold)
    return counts


def _pairs(record: dict, detect: Detector):
    predicted = {f["detail"]: [tuple(s) for s in f["spans"]] for f in detect(record["text"])}
    for kind in KINDS:
        gold = [(s["start"], s["end"]) for s in record["spans"] if s["kind"] == kind]
        yield kind, predicted.get(kind, []), gold


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def precision_recall(c: dict[str, int]) -> tuple[float, float]:
    """Precision and recall of one count dict (1.0 when there is nothing to be wrong about)."""
    return (c["pred_ok"] / c["pred"] if c["pred"] else 1.0), (c["gold_found"] / c["gold"] if c["gold"] else 1.0)


def overall(counts: dict[str, dict[str, int]]) -> dict[str, int]:
    """The per-kind counts added up."""
    return {key: sum(c[key] for c in counts.values()) for key in ("pred", "pred_ok", "gold", "gold_found")}


def misses(records: list[dict], detect: Detector) -> list[str]:
    """One line per false positive ("FP") and missed gold span ("FN")."""
    lines = []
    for record in records:
        text = record["text"]
        for kind, pred, gold in _pairs(record, detect):
            lines += [f"FP {kind:14} {text[s:e]!r:30} in {text[:90]!r}" for s, e in pred
                      if not any(_overlap((s, e), g) for g in gold)]
            lines += [f"FN {kind:14} {text[s:e]!r:30} in {text[:90]!r}" for s, e in gold
                      if not any(_overlap(p, (s, e)) for p in pred)]
    return lines


def reviews_per_second(texts: list[str], detect: Detector, min_seconds: float = 1.0) -> float:
    """Texts processed per CPU second (one core) by detect, repeating the list for at least min_seconds.

    CPU time rather than wall time, so other work on a shared machine does not count against it.
    """
    detect(texts[0])  # loads the name list and phonenumbers once, as a pipeline worker would
    done, start = 0, time.process_time()
    while (elapsed := time.process_time() - start) < min_seconds:
        for text in texts:
            detect(text)
        done += len(texts)
    return done / elapsed


def print_report(records: list[dict], detect: Detector) -> None:
    """Precision and recall per kind and overall, then throughput."""
    counts = score(records, detect)
    print(f"{len(records)} labelled reviews ({sum(not r['spans'] for r in records)} without any detail)")
    print(f"{'kind':15}{'gold':>6}{'pred':>6}{'precision':>11}{'recall':>8}")
    for kind, c in [*counts.items(), ("overall", overall(counts))]:
        p, r = precision_recall(c)
        print(f"{kind:15}{c['gold']:>6}{c['pred']:>6}{p:>11.3f}{r:>8.3f}")
    for split in sorted({r.get("split", "dev") for r in records}):
        c = overall(score([r for r in records if r.get("split", "dev") == split], detect))
        p, r = precision_recall(c)
        print(f"  split {split:9}{c['gold']:>5}{c['pred']:>6}{p:>11.3f}{r:>8.3f}")
    rng = random.Random(7)
    typical = [review_text(rng, rng.random() < 0.8) for _ in range(2000)]
    labelled = reviews_per_second([r["text"] for r in records], detect)
    print(f"throughput, labelled texts:        {labelled:,.0f} reviews/s per core")
    print(f"throughput, typical 80-word texts: {reviews_per_second(typical, detect):,.0f} reviews/s per core")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list false positives and misses")
    parser.add_argument("--export-marked", action="store_true", help="print the set as markup lines")
    parser.add_argument("--import-marked", type=Path, help="rebuild the JSONL from a file of markup lines")
    args = parser.parse_args(argv)
    if args.import_marked:
        lines = [ln for ln in args.import_marked.read_text(encoding="utf-8").splitlines() if ln.strip()]
        DATA.parent.mkdir(parents=True, exist_ok=True)
        DATA.write_text("".join(json.dumps(from_marked(ln), ensure_ascii=False) + "\n" for ln in lines), "utf-8")
        print(f"wrote {len(lines)} records to {DATA}")
        return
    records = load_labelled()
    if args.export_marked:
        print("\n".join(to_marked(r) for r in records))
        return
    print_report(records, detector())
    if args.misses:
        print("\n".join(misses(records, detector())))


if __name__ == "__main__":
    main()
