"""Patient details planted into real review text: recall per kind and the share of unplanted texts flagged.

Real text: ../shared/realworld/hospital-reviews-bengaluru/hospital.csv (996 Google Maps hospital reviews),
read at run time and never copied; the bench stops with a clear message when it is absent. Each plant puts
one sentence from `bench/planted_templates.py` (written for this bench) at a random sentence boundary of a
random real review; the sentence carries one detail in one written form. Recall counts a plant as found when a
`patient_detail` flag of the same kind overlaps the planted value ("any kind": a flag of any kind does, which
is what keeps it out of an excerpt). The unplanted share is over the distinct real texts as they are: any
`patient_detail` flag counts, including staff names written without a roster and the few real details.
Only figures print; no real text leaves the file (--misses prints the planted sentences, which are ours).

Templates and forms are "dev" or "holdout" (see `bench/planted_templates.py`); held-out plants use at least one
held-out template or form and are reported apart. TODAY holds the figures of the detectors as they were before
issue 13 (commit 101f637), measured with this bench and the same seed.

    python bench/planted_details.py            # 400 plants per kind, half of them held out
    python bench/planted_details.py --n 1000 --misses
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.planted_templates import FORMS, TEMPLATES  # noqa: E402
from pipeline.judge.detectors.patient_details import KINDS, find_patient_details  # noqa: E402
from pipeline.text import split_sentences  # noqa: E402

HOSPITAL = ROOT.parent / "shared" / "realworld" / "hospital-reviews-bengaluru" / "hospital.csv"
_SLOT = re.compile(r"\{(\w+)\}")
_GOLD = re.compile(r"\[\[(.+?)\]\]")

# Figures at commit 101f637 (before issue 13), same seed and --n 400: recall per kind (dev, holdout, all)
# and the unplanted share.
TODAY: dict[str, tuple[float, float, float]] = {
    "name": (0.965, 0.810, 0.887), "phone": (1.000, 1.000, 1.000), "email": (1.000, 1.000, 1.000),
    "address": (0.880, 0.950, 0.915), "date_of_birth": (1.000, 1.000, 1.000), "age": (0.685, 0.690, 0.688),
    "record_number": (0.660, 0.730, 0.695), "overall": (0.884, 0.883, 0.884)}
TODAY_UNPLANTED: float | None = 0.021


def real_texts(path: Path = HOSPITAL) -> list[str]:
    """The distinct non-empty review texts of the hospital set."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    return list(dict.fromkeys(row[0].strip() for row in rows if row and row[0].strip()))


def plant_sentence(kind: str, rng: random.Random, held_out: bool) -> tuple[str, tuple[int, int]]:
    """One planted sentence of a kind and the span of its detail; held-out plants use a held-out part."""
    dev, holdout = TEMPLATES[kind]
    while True:
        template = rng.choice(dev + holdout if held_out else dev)
        novel = template in holdout
        values = {}
        for slot in _SLOT.findall(template):
            dev_forms, holdout_forms = FORMS[slot]
            form = rng.choice(dev_forms + holdout_forms if held_out else dev_forms)
            novel |= form in holdout_forms
            values[slot] = form(rng)
        if novel == held_out:
            break
    filled = _SLOT.sub(lambda m: values[m.group(1)], template)
    gold = _GOLD.search(filled)
    sentence = filled[:gold.start()] + gold.group(1) + filled[gold.end():]
    return sentence, (gold.start(), gold.start() + len(gold.group(1)))


def plant(text: str, sentence: str, gold: tuple[int, int], rng: random.Random) -> tuple[str, tuple[int, int]]:
    """The text with the sentence inserted at a random sentence boundary, and the gold span in it."""
    starts = [s for s, _ in split_sentences(text)] + [len(text)]
    at = rng.choice(starts)
    if at == len(text):
        head = text.rstrip()
        head += " " if head[-1:] in ".!?" else ". "
        tail = ""
    else:
        head, tail = text[:at], " " + text[at:]
    return head + sentence + tail, (len(head) + gold[0], len(head) + gold[1])


def plants(texts: list[str], n: int, seed: int = 13):
    """(kind, held_out, planted text, gold span, sentence) for n plants per kind, half of them held out."""
    rng = random.Random(seed)
    for kind in KINDS:
        for i in range(n):
            held_out = i % 2 == 1
            sentence, gold = plant_sentence(kind, rng, held_out)
            text, span = plant(rng.choice(texts), sentence, gold, rng)
            yield kind, held_out, text, span, sentence


def detected(text: str, span: tuple[int, int]) -> tuple[set[str], bool]:
    """The kinds whose flags overlap the span, and whether any flag does."""
    kinds = {f["detail"] for f in find_patient_details(text)
             if any(s < span[1] and span[0] < e for s, e in f["spans"])}
    return kinds, bool(kinds)


def measure(texts: list[str], n: int) -> tuple[dict, list[str]]:
    """Counts per (kind, split): plants, found by kind, found by any kind; and the missed sentences."""
    counts: dict[tuple[str, str], Counter] = {}
    missed = []
    for kind, held_out, text, span, sentence in plants(texts, n):
        kinds, anything = detected(text, span)
        c = counts.setdefault((kind, "holdout" if held_out else "dev"), Counter())
        c["n"] += 1
        c["found"] += kind in kinds
        c["any"] += anything
        if kind not in kinds:
            missed.append(f"{'H' if held_out else 'D'} {kind:14} found as {sorted(kinds) or '-'}: {sentence!r}")
    return counts, missed


def _recall(counts: dict, kinds, splits, key="found") -> float:
    picked = [c for (k, s), c in counts.items() if k in kinds and s in splits]
    total = sum(c["n"] for c in picked)
    return sum(c[key] for c in picked) / total if total else float("nan")


def unplanted_share(texts: list[str]) -> tuple[float, Counter]:
    """Share of the real texts with any patient_detail flag, and reviews per detail kind."""
    per_kind = Counter()
    flagged = 0
    for text in texts:
        found = find_patient_details(text)
        flagged += bool(found)
        per_kind.update(f["detail"] for f in found)
    return flagged / len(texts), per_kind


def report(texts: list[str], n: int, show_misses: bool) -> None:
    """Print recall per kind and split, overall, and the unplanted share, next to TODAY's."""
    counts, missed = measure(texts, n)
    print(f"{len(texts)} distinct real hospital reviews; {n} plants per kind ({n // 2} held out)")
    print(f"{'kind':15}{'dev':>7}{'holdout':>9}{'all':>7}{'any kind':>10}   today dev/holdout/all")
    for kind in (*KINDS, "overall"):
        kinds = KINDS if kind == "overall" else (kind,)
        row = [_recall(counts, kinds, (s,)) for s in ("dev", "holdout")] + [_recall(counts, kinds, ("dev", "holdout"))]
        anyk = _recall(counts, kinds, ("dev", "holdout"), "any")
        today = " / ".join(f"{v:.3f}" for v in TODAY[kind]) if kind in TODAY else "-"
        print(f"{kind:15}{row[0]:>7.3f}{row[1]:>9.3f}{row[2]:>7.3f}{anyk:>10.3f}   {today}")
    share, per_kind = unplanted_share(texts)
    today = f"{TODAY_UNPLANTED:.3f}" if TODAY_UNPLANTED is not None else "-"
    print(f"unplanted texts flagged: {share:.3f} (today {today}); reviews per kind: {dict(per_kind)}")
    if show_misses:
        print("\n".join(missed))


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=400, help="plants per kind")
    parser.add_argument("--misses", action="store_true", help="list the planted sentences that were missed")
    args = parser.parse_args(argv)
    if not HOSPITAL.exists():
        sys.exit(f"{HOSPITAL} not found: this bench needs the real hospital reviews (../shared/realworld)")
    report(real_texts(), args.n, args.misses)


if __name__ == "__main__":
    main()
