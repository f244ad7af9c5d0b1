"""Deterministic synthetic patient reviews for benchmarks: varied sentences, ~80 words, names, ratings, dates."""

from __future__ import annotations

import csv
import random
from pathlib import Path

FIRST = ("Maria James Patsy Robert Linda Michael Angela David Grace Kevin Denise Thomas Olivia Marcus Helen Brian "
         "Priya Walter Sofia Daniel Joan Luis Dana Kate Sam Tom Rita Chris Derek Nina").split()
LAST = ("Lopez Smith Rogers Johnson Brown Garcia Miller Davis Wilson Moore Taylor Anderson Thomas Jackson White "
        "Harris Martin Thompson Clark Lewis Walker Hall Young King Wright Scott Green Baker Adams Nelson").split()
POSITIVE = (
    "The front desk staff greeted me by name and checked me in quickly.",
    "Dr. Alvarez explained every option and never rushed the appointment.",
    "The nurses were gentle, patient and kept me comfortable the whole time.",
    "The office was spotless and the waiting room was calm and quiet.",
    "They called back the same day to answer my questions about the treatment plan.",
    "Scheduling was easy and the reminders by text were really helpful.",
    "I always feel listened to and respected when I come here.",
    "The whole team is warm, professional and genuinely caring.",
    "Billing was clear and they helped me sort out my insurance paperwork.",
    "I would recommend this practice to my friends and family without hesitation.",
)
NEGATIVE = (
    "I waited more than an hour past my appointment time without any explanation.",
    "The billing office charged me twice and it took several calls to fix.",
    "Nobody returned my calls about my prescription refill for a week.",
    "The receptionist was rude and seemed annoyed by my questions.",
    "Parking was a nightmare and the building was hard to find.",
    "My appointment was cancelled at the last minute for the second time.",
)
NEUTRAL = (
    "I have been coming to this clinic for about two years now.",
    "My first visit was on a Tuesday morning after a referral from my doctor.",
    "The clinic is on the second floor of the medical building near the highway.",
    "I usually see the physician assistant for my follow up visits.",
    "They ask you to arrive fifteen minutes early to fill in the forms.",
)


def review_text(rng: random.Random, positive: bool, target_words: int = 80) -> str:
    """One review of roughly target_words words, mostly positive or mostly negative sentences."""
    main, other = (POSITIVE, NEGATIVE) if positive else (NEGATIVE, POSITIVE)
    sentences, words = [], 0
    while words < target_words:
        pool = rng.choices((main, NEUTRAL, other), weights=(6, 3, 1))[0]
        sentence = rng.choice(pool)
        sentences.append(sentence)
        words += len(sentence.split())
    return " ".join(sentences)


def reviews(n: int, seed: int = 7, target_words: int = 80) -> list[dict[str, str]]:
    """n synthetic form entries with ids, names, emails, ratings, dates, consent and text."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        positive = rng.random() < 0.8
        rating = rng.choice((4, 5, 5)) if positive else rng.choice((1, 2, 3))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append({"Entry Id": str(100000 + i), "Entry Date": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                     "Name (First)": first, "Name (Last)": last, "Email": f"{first}.{last}{i}@example.com".lower(),
                     "Rating": str(rating), "Review": review_text(rng, positive, target_words),
                     "Consent": "Checked" if rng.random() < 0.7 else ""})
    return rows


def write_csv_exports(rows: list[dict[str, str]], folder: Path, per_file: int = 50_000) -> list[Path]:
    """Write rows as Gravity-Forms-like CSV exports, per_file rows each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, len(rows), per_file):
        path = folder / f"export-{start // per_file:03d}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows[start:start + per_file])
        paths.append(path)
    return paths
