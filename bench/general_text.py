"""The clinic tuning keeps VADER's behaviour on general text: Pearson r on VADER's own ICWSM 2014 ground truth.

Data: ../shared/realworld/vader-icwsm2014/*_GroundTruth.txt (Hutto & Gilbert, ICWSM 2014: tab-separated id,
mean human rating from -4 to +4, text; tweets, movie-review, Amazon-review and NYT-editorial snippets), read at
run time and never copied. Without that folder the script says so and exits 0.

For each of the four sets it prints Pearson r between the mean human rating and plain VADER on the whole text
(the baseline the README quotes: 0.872 / 0.427 / 0.590 / 0.503), plain VADER sentence by sentence, and the
clinic-tuned scorer (`score_text`: phrase rules, clinic lexicon, wish sentences capped at neutral), the tuned
scorer's difference from the baseline, and whether it stays within the allowed band (issue 12: +-0.02 on each
set). It also counts the snippets in which a phrase rule or the wish detector changed anything. Exit code 1
when a set leaves the band.

Usage: python bench/general_text.py [--rules plaudit-sentiment.toml] [--band 0.02]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.judge import sentiment  # noqa: E402
from pipeline.judge.clinic_rules import load_clinic_rules  # noqa: E402

DATA = ROOT.parent / "shared" / "realworld" / "vader-icwsm2014"
SETS = {"tweets": "tweets_GroundTruth.txt", "movie reviews": "movieReviewSnippets_GroundTruth.txt",
        "Amazon reviews": "amazonReviewSnippets_GroundTruth.txt", "NYT editorials": "nytEditorialSnippets_GroundTruth.txt"}


def load(path: Path) -> tuple[list[str], np.ndarray]:
    """Texts and mean human ratings of one ground-truth file."""
    texts, means = [], []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3 and parts[2].strip():
            try:
                means.append(float(parts[1]))
            except ValueError:
                continue
            texts.append(parts[2].strip())
    return texts, np.array(means)


def pearson(scores: list[float], means: np.ndarray) -> float:
    return float(np.corrcoef(np.array(scores), means)[0, 1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", help="a practice's sentiment rules file (TOML) merged over the defaults")
    parser.add_argument("--band", type=float, default=0.02, help="allowed |tuned r - plain r| per set")
    args = parser.parse_args(argv)
    sentiment.configure(load_clinic_rules(args.rules))
    if not DATA.is_dir():
        print(f"{DATA} is not present (third-party data, not shipped with Plaudit); nothing to measure.")
        return 0
    header = (f"{'set':<15} {'texts':>6} {'plain r':>8} {'by sentence':>11} {'tuned r':>8} {'tuned - plain':>13} "
              f"{'changed':>8} {'wishes':>7}  within +-{args.band}")
    print(header)
    print("-" * len(header))
    failed = 0
    for name, file in SETS.items():
        texts, means = load(DATA / file)
        plain = [sentiment.score_whole(t) for t in texts]
        by_sentence = [sentiment.score_sentences_plain(t) for t in texts]
        tuned = [sentiment.score_text(t) for t in texts]
        r_plain, r_tuned = pearson(plain, means), pearson([s.compound for s in tuned], means)
        changed = sum(t.compound != s.compound for t, s in zip(tuned, by_sentence))
        wished = sum(bool(getattr(t, "wishes", ())) for t in tuned)
        ok = abs(r_tuned - r_plain) <= args.band
        failed += not ok
        print(f"{name:<15} {len(texts):>6} {r_plain:>8.3f} {pearson([s.compound for s in by_sentence], means):>11.3f} "
              f"{r_tuned:>8.3f} {r_tuned - r_plain:>+13.4f} {changed:>8} {wished:>7}  {'yes' if ok else 'NO'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
