"""Deterministic synthetic patient reviews for benchmarks: sentences built from slot templates, ~80 words,
varied names, ratings, dates and consent. Varied enough that unrelated reviews are not near duplicates."""

from __future__ import annotations

import csv
import itertools
import random
import re
from collections.abc import Iterable, Iterator
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
    "staff": ["Dr. Alvarez", "Dr. Chen", "Dr. Patel", "Dr. Okafor", "Nurse Kim", "Nurse Ruiz", "the PA",
              "the nurse practitioner", "the front desk", "my infusion nurse", "Dr. Morales", "the medical assistant",
              "Dr. Brennan", "the receptionist", "the billing office", "Dr. Haddad", "the scheduler", "everyone",
              "the whole team", "the tech who did my vitals", "the office manager", "the weekend nurse"],
    "pos_vp": ["explained every option", "listened without rushing me", "made me feel safe", "remembered my name",
               "called back within the hour", "answered all my questions", "took time to go over the plan",
               "was gentle with the IV", "kept me informed the whole time", "found me an earlier slot",
               "fixed a billing mistake in minutes", "walked me to my car", "checked on me twice",
               "made the paperwork painless", "gave me straight answers", "treated my mom like family",
               "never made me feel like a number", "stayed late to finish my infusion", "joked with me to calm my nerves",
               "sent the refill the same afternoon", "sorted out the prior authorization", "double checked my allergies"],
    "neg_vp": ["ignored my questions", "lost my referral twice", "kept me waiting without a word",
               "charged me for a visit I never had", "rushed through the appointment", "forgot to send my refill",
               "was short with my husband", "double booked my slot", "never called back about my results",
               "argued about my insurance", "left me in the hallway for an hour"],
    "adj": ["kind", "patient", "thorough", "attentive", "gentle", "professional", "warm", "reassuring", "sharp",
            "knowledgeable", "friendly", "caring", "respectful", "honest", "calm", "organized", "upbeat", "on time"],
    "place": ["waiting room", "exam room", "infusion suite", "lobby", "office", "check-in desk", "hallway",
              "recovery area", "restroom", "parking garage", "treatment room", "elevator bank", "coffee corner"],
    "visit": ["first visit", "follow up", "consultation", "infusion", "nerve block", "evaluation", "intake",
              "second appointment", "check-in", "sixth session", "telehealth call", "Saturday appointment"],
    "when": ["Last Tuesday", "On my first day", "Every single time", "Honestly", "From the very start", "As usual",
             "This spring", "Over the holidays", "Right after my surgery", "Twice now", "Back in March", "Today"],
    "tail": ["", "", "", " and it meant a lot", " even on a packed morning", " which I did not expect",
             " without me asking", " before I even sat down", " like it was nothing", " and followed up by text"],
    "minutes": ["five", "ten", "twelve", "fifteen", "twenty", "thirty", "forty", "forty-five", "sixty", "ninety"],
    "who": ["my husband", "my wife", "my mother", "my son", "my daughter", "my neighbor", "a coworker",
            "my sister", "my brother", "my best friend", "my primary doctor", "my physical therapist", "my pastor"],
    "time": ["two years", "six months", "three months", "a year", "eight weeks", "a few months", "four years"],
}
POSITIVE = (
    "{when}, {staff} {pos_vp}{tail}.",
    "{staff} was {adj} and {adj} during my {visit}{tail}.",
    "The {place} was spotless and {staff} {pos_vp}.",
    "I only waited {minutes} minutes and {staff} {pos_vp}.",
    "{who} sent me here and {staff} {pos_vp}{tail}.",
    "After {time} of coming here, {staff} still {pos_vp}.",
)
NEGATIVE = (
    "{when}, {staff} {neg_vp}{tail}.",
    "I waited {minutes} minutes past my {visit} and {staff} {neg_vp}.",
    "{staff} {neg_vp} when I came in for my {visit}.",
)
NEUTRAL = (
    "My {visit} was booked after {who} mentioned the clinic.",
    "I have been a patient for {time} now.",
    "The {place} is on the second floor and easy to find.",
    "{when} I came in for my {visit}.",
)
_SLOT = re.compile(r"\{(\w+)\}")


def sentence(rng: random.Random, template: str) -> str:
    """Fill every slot of a template independently."""
    text = _SLOT.sub(lambda m: rng.choice(SLOTS[m.group(1)]), template)
    return text[0].upper() + text[1:]


_LETTERS = "etaoinshrdlcumwfgypbvkjxqz"


def _pseudo_words(count: int = 20_000, seed: int = 3) -> list[str]:
    """Made-up content words: real reviews share few 5-grams beyond the templates' skeleton words."""
    rng = random.Random(seed)
    return ["".join(rng.choices(_LETTERS, k=rng.randint(4, 10))) for _ in range(count)]


_PSEUDO = _pseudo_words()
_PSEUDO_CUMULATIVE = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(_PSEUDO))))


_GLUE = ("the", "and", "my", "was", "with", "for", "to", "of", "in", "at", "a", "it", "they", "we", "on")


_FEELING = ("great", "good", "kind", "helpful", "nice", "wonderful", "comfortable", "happy", "pleasant", "easy",
            "rude", "slow", "bad", "terrible", "awful", "poor", "annoying", "confusing", "sad", "worried")


def detail(rng: random.Random) -> str:
    """A sentence of made-up specifics (places, names, things) with glue words and, mostly, a feeling word:
    real reviews rarely have a sentence without one (11% of sentences in the real hospital reviews)."""
    words = []
    for _ in range(rng.randint(8, 14)):
        words.append(rng.choice(_GLUE) if rng.random() < 0.35 else
                     rng.choices(_PSEUDO, cum_weights=_PSEUDO_CUMULATIVE)[0])
    if rng.random() < 0.95:
        words.insert(rng.randrange(len(words)), rng.choice(_FEELING))
    return " ".join(words).capitalize() + "."


def review_text(rng: random.Random, positive: bool, target_words: int = 68) -> str:
    """One review of roughly target_words words: sentiment-bearing template sentences between made-up details.

    Templates alone make unrelated reviews far more alike than real ones (median character 5-gram Jaccard
    0.14 against about 0.03 for real long reviews); the details bring it near real text (bench prints it).
    """
    main, other = (POSITIVE, NEGATIVE) if positive else (NEGATIVE, POSITIVE)
    sentences, words = [], 0
    while words < target_words:
        pool = rng.choices((main, NEUTRAL, other), weights=(7, 2, 1))[0]
        said = sentence(rng, rng.choice(pool))
        if rng.random() < 0.75:  # how it felt, as most real sentences say
            said = f"{said[:-1]}, {rng.choice(('really', 'so', 'quite'))} {rng.choice(_FEELING)}."
        for text in (said, detail(rng)):
            sentences.append(text)
            words += len(text.split())
    return " ".join(sentences)


def reviews(n: int, seed: int = 7, target_words: int = 68) -> list[dict[str, str]]:
    """n synthetic form entries with ids, names, emails, ratings, dates, consent and text."""
    return list(iter_reviews(n, seed, target_words))


def iter_reviews(n: int, seed: int = 7, target_words: int = 68) -> Iterator[dict[str, str]]:
    """The same entries as `reviews`, one at a time (a million of them do not fit comfortably in memory)."""
    rng = random.Random(seed)
    for i in range(n):
        positive = rng.random() < 0.8
        rating = rng.choice((4, 5, 5)) if positive else rng.choice((1, 2, 3))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        yield {"Entry Id": str(100000 + i), "Entry Date": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
               "Name (First)": first, "Name (Last)": last, "Email": f"{first}.{last}{i}@example.com".lower(),
               "Rating": str(rating), "Review": review_text(rng, positive, target_words),
               "Consent": "Checked" if rng.random() < 0.7 else ""}


def write_csv_exports(rows: Iterable[dict[str, str]], folder: Path, per_file: int = 50_000) -> list[Path]:
    """Write rows (any iterable) as Gravity-Forms-like CSV exports, per_file rows each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, per_file)):
        path = folder / f"export-{len(paths):03d}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(chunk[0]))
            writer.writeheader()
            writer.writerows(chunk)
        paths.append(path)
    return paths
