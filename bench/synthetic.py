"""Deterministic synthetic patient reviews for benchmarks: sentences built from slot templates, ~80 words,
varied names, ratings, dates and consent. Varied enough that unrelated reviews are not near duplicates."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

FIRST = ("Maria James Patsy Robert Linda Michael Angela David Grace Kevin Denise Thomas Olivia Marcus Helen Brian "
         "Priya Walter Sofia Daniel Joan Luis Dana Kate Sam Tom Rita Chris Derek Nina Aaron Beth Carlos Diane "
         "Elena Frank Gloria Hector Irene Jorge Karen Leo Monica Nathan Paula Quinn Rosa Steve Tara Victor Wendy "
         "Yusuf Zoe Andre Bianca Colin Delia Ethan Fiona Gavin Hanna Ivan Julia Kyle Lena Mason Nora Omar Pearl "
         "Reggie Selma Trevor Uma Vera Wade Ximena Yara Zach").split()
LAST = ("Lopez Smith Rogers Johnson Brown Garcia Miller Davis Wilson Moore Taylor Anderson Thomas Jackson White "
        "Harris Martin Thompson Clark Lewis Walker Hall Young King Wright Scott Green Baker Adams Nelson Hill "
        "Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards Stewart Flores "
        "Morris Nguyen Murphy Rivera Cook Rogers Morgan Peterson Cooper Reed Bailey Bell Gomez Kelly Howard Ward "
        "Cox Diaz Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers Long Foster").split()
SLOTS = {
    "staff": ["Dr. Alvarez", "Dr. Chen", "Dr. Patel", "Dr. Okafor", "Nurse Kim", "Nurse Ruiz", "the physician "
              "assistant", "the nurse practitioner", "the front desk team", "the infusion nurse", "Dr. Morales",
              "the medical assistant", "Dr. Brennan", "the receptionist", "the billing manager", "Dr. Haddad"],
    "good": ["kind", "patient", "thorough", "attentive", "gentle", "professional", "warm", "reassuring",
             "knowledgeable", "friendly", "caring", "respectful", "honest", "calm", "organized", "helpful"],
    "bad": ["rude", "dismissive", "rushed", "disorganized", "careless", "cold", "unhelpful", "late", "confusing"],
    "place": ["waiting room", "exam room", "infusion suite", "lobby", "office", "front desk area", "hallway",
              "recovery room", "check-in area", "restroom", "parking lot", "treatment room"],
    "clean": ["spotless", "clean", "quiet", "bright", "comfortable", "tidy", "peaceful", "welcoming", "modern"],
    "visit": ["first visit", "follow up", "consultation", "infusion", "injection appointment", "evaluation",
              "second appointment", "check-in", "treatment session", "annual review", "morning appointment"],
    "minutes": ["five", "ten", "fifteen", "twenty", "thirty", "forty", "forty-five", "sixty", "ninety"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "thing": ["my insurance paperwork", "a prescription refill", "my referral", "the treatment plan",
              "my test results", "a scheduling mix-up", "the billing statement", "my medication list",
              "the consent forms", "a parking validation", "my imaging report", "the follow-up schedule"],
    "who": ["my husband", "my wife", "my mother", "my son", "my daughter", "my neighbor", "a coworker",
            "my sister", "my brother", "my friend", "my primary doctor", "my physical therapist"],
    "time": ["two years", "six months", "three months", "a year", "eight weeks", "a few months", "four years"],
}
POSITIVE = (
    "{staff} was {good} and {good} during my {visit}.",
    "The {place} was {clean} and the {place} felt {clean}.",
    "I only waited {minutes} minutes on {day} before {staff} called me back.",
    "{staff} helped me sort out {thing} without any fuss.",
    "{who} recommended this clinic and I am glad I listened.",
    "Everyone from {staff} to {staff} treated me with respect.",
    "They explained {thing} in plain words and answered every question.",
    "I have been coming here for {time} and {staff} always remembers me.",
    "The {visit} started on time and {staff} was {good} the whole way through.",
    "I would send {who} here without hesitation.",
    "Even {thing} was handled quickly by {staff}.",
    "{staff} called me the next {day} to check how I was doing.",
)
NEGATIVE = (
    "I waited {minutes} minutes past my {visit} and nobody explained why.",
    "{staff} was {bad} when I asked about {thing}.",
    "It took several calls over {time} to fix {thing}.",
    "The {place} was crowded and {staff} seemed {bad}.",
    "My {visit} on {day} was cancelled at the last minute.",
    "Nobody returned my calls about {thing} for a week.",
)
NEUTRAL = (
    "My {visit} was on a {day} after a referral from {who}.",
    "The clinic is next to the {place} entrance of the medical building.",
    "They ask you to arrive {minutes} minutes early to fill in the forms.",
    "I usually see {staff} for my {visit}.",
    "Parking was free and the {place} was easy to find.",
)
_SLOT = re.compile(r"\{(\w+)\}")


def sentence(rng: random.Random, template: str) -> str:
    """Fill every slot of a template independently."""
    text = _SLOT.sub(lambda m: rng.choice(SLOTS[m.group(1)]), template)
    return text[0].upper() + text[1:]


def review_text(rng: random.Random, positive: bool, target_words: int = 80) -> str:
    """One review of roughly target_words words, mostly positive or mostly negative sentences."""
    main, other = (POSITIVE, NEGATIVE) if positive else (NEGATIVE, POSITIVE)
    sentences, words = [], 0
    while words < target_words:
        pool = rng.choices((main, NEUTRAL, other), weights=(6, 3, 1))[0]
        text = sentence(rng, rng.choice(pool))
        sentences.append(text)
        words += len(text.split())
    return " ".join(sentences)


def reviews(n: int, seed: int = 7, target_words: int = 80) -> list[dict[str, str]]:
    """n synthetic form entries with ids, names, emails, ratings, dates, consent and text."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        positive = rng.random() < 0.8
        rating = rng.choice((4, 5, 5)) if positive else rng.choice((1, 2, 3))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append({"Entry Id": str(100000 + i),
                     "Entry Date": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
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
