"""Duplicate detection on real review text with planted cross-posts: recall, pair precision, time, memory.

Corpus: the hospital reviews in ../shared/realworld (read at run time, never copied), or a synthetic
generator when that folder is absent (said so in the output). Ground truth:
- The base is deduplicated first: empty texts and identical normalised texts are dropped, and so is any
  row whose word bigrams are >= 80% inside an earlier row (the data repeats reviews and sentence fragments
  of reviews; at least 5 words). That check is a brute-force word-level oracle, independent of the
  detector. What remains is treated as written by different patients: every base review gets its own
  synthetic author, and any pair the detector reports among base reviews counts as a false positive.
- A sample of base reviews (all long ones up to --long, plus --short short ones) gets one cross-posted
  copy each: another source, a date -10..+60 days away, the same author in another form, and 1-3 edits
  (case, punctuation, a changed word, a typo, a dropped or added sentence, emoji, "... Read more"
  truncation). A changed word needs >= 4 words, a typo a word of >= 4 letters, a dropped sentence must
  leave >= 60% of the words (a copy keeping only "Thank you!" is not a near duplicate of anything),
  truncation >= 100 characters (listing pages do not cut shorter texts).
The true pairs are exactly (base, its copy). Baseline: datasketch MinHashLSH, word 3-shingles, threshold
0.5, 128 permutations, text only, every LSH hit counted as a pair.

Also printed: the same figures over --repeat more seeds, then with base authors drawn from 3 x 3 names
(different patients sharing names) and with the fragment rows kept (so their copies count as false);
a nightly run (1,000 new against --index-n stored signatures) and a backfill (--n synthetic ~80-word
reviews, 1% of them planted copies): time and peak resident memory.

Usage: python bench/dedupe_recall.py [--n 100000] [--index-n 1000000] [--repeat 5] [--seed 7]
                                     [--short 300] [--long 60]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.dedupe import matching as dd  # noqa: E402
from pipeline.dedupe.assign import find_pairs  # noqa: E402
from pipeline.dedupe.lsh import NearDuplicateIndex  # noqa: E402
from pipeline.dedupe.minhash import NUM_BINS, signatures_from_bytes  # noqa: E402
from pipeline.text import clean_text, decode_bytes, normalise, sentences, word_count  # noqa: E402

REALWORLD = ROOT.parent / "shared" / "realworld" / "hospital-reviews-bengaluru" / "hospital.csv"
SHORT_WORDS = 40
SOURCES = ("google", "facebook", "healthgrades", "practice-form", "yelp")

FIRST = ("Maria Ana Sofia Lucia Carmen Elena Rosa Priya Ananya Kavya Lakshmi Deepa Sunita Aisha Fatima Amina "
         "Mei Yuki Hana Grace Emily Sarah Olivia Emma Chloe Hannah Zoe Nadia Ingrid Freya Chiamaka Ngozi "
         "Jose Carlos Luis Miguel Diego Rahul Arjun Vikram Sanjay Ravi Suresh Rajesh Omar Yusuf Hassan "
         "Wei Kenji Hiroshi David James Michael Robert Thomas Daniel Samuel Liam Noah Lucas Oliver Erik "
         "Kwame Tunde Emeka Ivan Dmitri Pavel Mateo Javier Andre Kofi").split()
LAST = ("Lopez Garcia Martinez Rodriguez Hernandez Gonzalez Perez Sanchez Ramirez Torres Sharma Patel Reddy "
        "Iyer Nair Rao Gupta Singh Kumar Menon Khan Ahmed Hussain Rahman Chen Wang Li Zhang Tanaka Sato "
        "Suzuki Kim Park Nguyen Tran Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor "
        "Moore Jackson White Harris Clark Lewis Walker Young Allen King Wright Scott Green Baker Adams "
        "Okafor Adeyemi Mensah Okonkwo Ivanov Petrov Novak Kowalski Muller Schmidt Larsen Jensen Rossi "
        "Bianchi Silva Santos Costa Pereira O'Brien Murphy Kelly").split()
ADDED = ("Highly recommended.", "Thanks to the whole team!", "Would visit again.", "Parking was easy to find.",
         "The billing desk was quick too.", "Update: the follow-up visit went just as well.",
         "Five stars from me.", "I will be back for my next check-up.")
SWAPS = {"good": "great", "very": "really", "doctor": "doctors", "staff": "team", "hospital": "clinic",
         "service": "services", "bad": "poor", "care": "treatment", "nice": "good", "excellent": "superb",
         "worst": "terrible", "helpful": "supportive", "clean": "tidy", "experience": "visit"}
FILLERS = ("nice", "really", "quite", "place", "people", "overall", "time", "always", "truly", "also")
EMOJI = (" 👍", " 😊🙏", " ⭐⭐⭐⭐⭐", " ❤️", " 🙂", " 👏👏")
TAILS = ("… Read more", "... More", "…read more", " ...Read more")


@dataclass
class Corpus:
    items: list[dd.DedupeItem]
    truth: set[tuple[str, str]]
    short: set[tuple[str, str]]
    base_count: int
    dropped: tuple[int, int]
    origin: str
    edits: dict[tuple[str, str], list[str]]


# --------------------------------------------------------------------------- base reviews


def load_real() -> list[str] | None:
    """Feedback texts from the hospital CSV, or None when the shared folder is absent."""
    if not REALWORLD.exists():
        return None
    rows = csv.DictReader(decode_bytes(REALWORLD.read_bytes()).splitlines())
    return [clean_text(r.get("Feedback")) for r in rows]


SYN_VISIT = ("a knee scan", "my annual check-up", "a dental cleaning", "a flu shot", "physiotherapy",
             "an MRI", "blood tests", "my daughter's fever", "a skin rash", "back pain", "a cardiology review",
             "an eye test", "my mother's diabetes follow-up", "a sprained ankle", "a pregnancy scan")
SYN_WHO = ("Dr. Rao", "Dr. Mehta", "Dr. Alvarez", "the nurse", "the receptionist", "the physiotherapist",
           "Dr. Chen", "the lab technician", "Dr. Okafor", "the pharmacist", "the billing team", "Dr. Fischer")
SYN_HOW = ("was very kind", "explained every option", "was rushed and distracted", "listened patiently",
           "answered all our questions", "was rude at the desk", "remembered my history", "was gentle",
           "kept us informed", "seemed overworked", "made my son laugh", "double-checked the dosage")
SYN_DETAIL = ("We waited {n} minutes past the appointment.", "Parking cost {n} dollars.",
              "The results came back in {n} days.", "The room on floor {n} was spotless.",
              "I was seen within {n} minutes.", "They called back {n} times to check on me.",
              "The bill was {n} dollars more than quoted.", "It took {n} weeks to get a slot.")
SYN_CLOSE = ("Thank you!", "Highly recommend.", "Never again.", "Will come back.", "Good service.",
             "Very good.", "Not worth it.", "Great team.", "Five stars.", "Disappointed.")


def synthetic_base(rng: random.Random, n: int = 1000) -> list[str]:
    """Stand-in reviews when the real data is absent: slot-filled sentences, mostly short like real ones."""
    out = []
    for _ in range(n):
        opener = rng.choice(("Came in for", "Booked", "Brought my father in for", "Went for", "Visited for"))
        parts = [f"{opener} {rng.choice(SYN_VISIT)} and {rng.choice(SYN_WHO)} {rng.choice(SYN_HOW)}."]
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 5))):
            parts.append(rng.choice((
                rng.choice(SYN_DETAIL).format(n=rng.randint(2, 90)),
                f"{rng.choice(SYN_WHO).capitalize()} {rng.choice(SYN_HOW)} about {rng.choice(SYN_VISIT)}.",
            )))
        parts.append(rng.choice(SYN_CLOSE)) if rng.random() < 0.5 else None
        out.append(" ".join(parts))
    return out


def _bigrams(text: str) -> set[tuple[str, str]]:
    w = normalise(text).split()
    return set(zip(w, w[1:]))


def dedupe_base(texts: list[str], fragments: bool = True) -> tuple[list[str], int, int]:
    """Drop empty, identical (normalised) and (unless told not to) fragment rows; kept texts, drop counts."""
    seen: set[str] = set()
    unique = []
    for t in texts:
        key = normalise(t)
        if key and key not in seen:
            seen.add(key)
            unique.append(t)
    kept: list[tuple[str, set]] = []
    for t in unique:
        grams = _bigrams(t)
        if not fragments or not any(_fragment(grams, other) for _, other in kept):
            kept.append((t, grams))
    return [t for t, _ in kept], len(texts) - len(unique), len(unique) - len(kept)


def _fragment(a: set, b: set) -> bool:
    """Oracle: the smaller bigram set (>= 4 bigrams) lies >= 80% inside the other."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small) >= 4 and len(small & large) >= 0.8 * len(small)


# --------------------------------------------------------------------------- planting


def author_form(rng: random.Random, first: str, last: str) -> str:
    """The same person as another site shows them."""
    forms = (f"{first} {last[0]}.", f"{first} {last}".lower(), f"{first[0]}. {last}", f"{first} {last}".upper(),
             f"{last}, {first}", f"{first}")
    return rng.choice(forms)


def _case(rng, t):
    return rng.choice((t.lower(), t.upper(), t[:1].lower() + t[1:].swapcase()))


def _punct(rng, t):
    return rng.choice((re.sub(r"[^\w\s]", "", t), t.replace(".", "!"), t.rstrip(".!") + "!!",
                       t.replace(", ", " ").replace(". ", ".. ")))


def _changed_word(rng, t):
    ws = t.split()
    idx = [i for i, w in enumerate(ws) if len(re.sub(r"\W", "", w)) >= 3]
    if len(ws) < 4 or not idx:
        return None
    i = rng.choice(idx)
    word = re.sub(r"\W", "", ws[i]).lower()
    ws[i] = SWAPS.get(word) or rng.choice([f for f in FILLERS if f != word])
    return " ".join(ws)


def _typo(rng, t):
    ws = t.split()
    idx = [i for i, w in enumerate(ws) if len(w) >= 4 and w.isalpha()]
    if not idx:
        return None
    i = rng.choice(idx)
    w, j = ws[i], rng.randrange(1, len(ws[i]) - 1)
    ws[i] = rng.choice((w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + w[j + 1:], w[:j] + w[j] + w[j:],
                        w[:j] + rng.choice("aeiourstn") + w[j + 1:]))
    return " ".join(ws)


def _drop_sentence(rng, t):
    parts = sentences(t)
    small = [i for i, p in enumerate(parts) if word_count(p) <= 0.4 * word_count(t)]
    if len(parts) < 2 or not small:
        return None
    gone = rng.choice(small)
    return " ".join(p for i, p in enumerate(parts) if i != gone)


def _add_sentence(rng, t):
    extra = rng.choice(ADDED)
    return f"{t.rstrip()} {extra}" if rng.random() < 0.7 else f"{extra} {t}"


def _emoji(rng, t):
    return t.rstrip() + rng.choice(EMOJI)


def _truncate(rng, t):
    if len(t) < 100:
        return None
    cut = t.rfind(" ", 0, int(len(t) * rng.uniform(0.5, 0.85)))
    return t[:cut].rstrip() + rng.choice(TAILS) if cut > 0 else None


EDITS = {"dropped sentence": _drop_sentence, "added sentence": _add_sentence, "changed word": _changed_word,
         "typo": _typo, "case": _case, "punctuation": _punct, "emoji": _emoji, "truncation": _truncate}


def plant(rng: random.Random, text: str) -> tuple[str, list[str]]:
    """A cross-posted copy with 1-3 edits, and the names of the edits applied.

    Edits run in a fixed order (content, then surface, truncation last, as a listing page cuts what it
    shows), so a dropped sentence never removes an added one and a typo never lands in "Read more".
    """
    want = rng.choices((1, 2, 3), weights=(40, 35, 25))[0]
    picked: list[str] = []
    for name in rng.sample(list(EDITS), len(EDITS)):
        if len(picked) < want and EDITS[name](random.Random(0), text) is not None:
            picked.append(name)
    for name in [e for e in EDITS if e in picked]:
        edited = EDITS[name](rng, text)
        if edited is not None and normalise(edited):
            text = edited
    return text, picked


def build_corpus(rng: random.Random, texts: list[str], n_short: int, n_long: int, origin: str,
                 names: tuple[list[str], list[str]] = (FIRST, LAST), fragments: bool = True) -> Corpus:
    """Base reviews with synthetic authors plus planted cross-posts; truth is the (base, copy) pairs."""
    base, exact_dropped, fragment_dropped = dedupe_base(texts, fragments)
    items, people = [], []
    for text in base:
        first, last = rng.choice(names[0]), rng.choice(names[1])
        people.append((first, last))
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
        items.append(dd.DedupeItem(f"b{len(items):05d}", text, f"{first} {last}", rng.choice(SOURCES),
                                   day.isoformat()))
    short = [i for i, t in enumerate(base) if word_count(t) < SHORT_WORDS]
    long_ = [i for i, t in enumerate(base) if word_count(t) >= SHORT_WORDS]
    chosen = rng.sample(short, min(n_short, len(short))) + rng.sample(long_, min(n_long, len(long_)))
    truth, short_truth, edits = set(), set(), {}
    for k, i in enumerate(chosen):
        copy_text, done = plant(rng, base[i])
        src = rng.choice([s for s in SOURCES if s != items[i].source])
        day = date.fromisoformat(items[i].date) + timedelta(days=rng.randint(-10, 60))
        copy = dd.DedupeItem(f"p{k:05d}", copy_text, author_form(rng, *people[i]), src, day.isoformat())
        items.append(copy)
        pair = tuple(sorted((items[i].id, copy.id)))
        truth.add(pair)
        edits[pair] = done
        if word_count(base[i]) < SHORT_WORDS:
            short_truth.add(pair)
    rng.shuffle(items)
    return Corpus(items, truth, short_truth, len(base), (exact_dropped, fragment_dropped), origin, edits)


# --------------------------------------------------------------------------- detectors


def run_ours(corpus: Corpus) -> tuple[set[tuple[str, str]], float]:
    """Pairs found by pipeline.dedupe.matching on the whole corpus as one batch, and seconds taken."""
    start = time.perf_counter()
    pairs = find_pairs(corpus.items)
    return {(p.a, p.b) for p in pairs}, time.perf_counter() - start


def run_baseline(corpus: Corpus) -> tuple[set[tuple[str, str]], float]:
    """Default datasketch MinHashLSH over word 3-shingles, text only."""
    from datasketch import MinHash, MinHashLSH

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    hashes = {}
    for item in corpus.items:
        w = normalise(item.text).split()
        shingles = {" ".join(w[i:i + 3]) for i in range(max(1, len(w) - 2))}
        m = MinHash(num_perm=128)
        for s in shingles:
            m.update(s.encode("utf-8"))
        hashes[item.id] = m
        lsh.insert(item.id, m)
    found = set()
    for item_id, m in hashes.items():
        found.update(tuple(sorted((item_id, other))) for other in lsh.query(m) if other != item_id)
    return found, time.perf_counter() - start


def score(found: set, corpus: Corpus) -> dict[str, float]:
    """Recall overall, short and long, and pair precision."""
    long_truth = corpus.truth - corpus.short
    hit = found & corpus.truth
    return {
        "recall": len(hit) / max(1, len(corpus.truth)),
        "short": len(found & corpus.short) / max(1, len(corpus.short)),
        "long": len(found & long_truth) / max(1, len(long_truth)),
        "precision": len(hit) / max(1, len(found)),
        "found": len(found),
        "fp": len(found - corpus.truth),
    }


# --------------------------------------------------------------------------- scale


FUNCTION_WORDS = ("the and was to i a of my for very in is with they were it doctor staff we at this me had good all "
                  "on but so care from not are hospital be have time our an he she her his there us great nurse "
                  "also visit treatment that you as by after when about dr their them one would get got did what "
                  "which who no your just been more than out up if can will only even other some").split()
LETTERS = tuple("etaoinshrdlcumwfgypbvkjxqz")
LETTER_FREQ = (12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0, 2.0, 1.9, 1.5,
               1.0, 0.8, 0.2, 0.15, 0.1, 0.07)


def synthetic_reviews(n: int, seed: int, words: int = 80) -> list[str]:
    """N reviews of `words` words: 40% Zipf-weighted function words, the rest from 30,000 pseudo-words.

    Tuned so that random pairs share *more* character 5-grams than the real long hospital reviews do
    (median Jaccard ~0.046 against 0.03; `background_line` prints both), so the scale line is pessimistic.
    """
    rng = np.random.default_rng(seed)
    freq = np.array(LETTER_FREQ) / sum(LETTER_FREQ)
    content = ["".join(rng.choice(LETTERS, size=k, p=freq)) for k in rng.integers(3, 11, size=30_000)]
    vocab = np.array(FUNCTION_WORDS + content)
    fw = 1.0 / np.arange(1, len(FUNCTION_WORDS) + 1)
    cw = 1.0 / np.arange(1, len(content) + 1) ** 0.9
    out = []
    for lo in range(0, n, 10_000):
        m = min(10_000, n - lo)
        pick_fn = rng.random((m, words)) < 0.4
        fn = rng.choice(len(FUNCTION_WORDS), size=(m, words), p=fw / fw.sum())
        ct = rng.choice(len(content), size=(m, words), p=cw / cw.sum()) + len(FUNCTION_WORDS)
        for row in np.where(pick_fn, fn, ct):
            toks = vocab[row].tolist()
            for k in range(11, words, 12):
                toks[k] += "."
            out.append(" ".join(toks).capitalize() + ".")
    return out


def background_line(real: list[str] | None, seed: int) -> str:
    """Median 5-gram Jaccard of random pairs: synthetic scale corpus against real long reviews."""
    def median(texts: list[str]) -> float:
        grams = [dd._grams(t)[1] for t in texts[:150]]
        js = [len(a & b) / len(a | b) for i, a in enumerate(grams) for b in grams[i + 1:]]
        return float(np.median(js))

    synthetic = median(synthetic_reviews(150, seed))
    long_real = [t for t in (real or []) if word_count(t) >= SHORT_WORDS]
    real_part = f", real reviews >= {SHORT_WORDS} words {median(long_real):.3f}" if len(long_real) > 10 else ""
    return f"background: median 5-gram Jaccard of random pairs, synthetic {synthetic:.3f}{real_part}"


def peak_rss_reset() -> bool:
    """Reset the kernel's peak-RSS mark for this process (Linux); False when not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM, else ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident memory of this process now, in MB (NaN where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def scale_corpus(n: int, seed: int) -> tuple[list[dd.DedupeItem], set[tuple[str, str]]]:
    """n synthetic reviews, 1% of them planted cross-posts of others (same edits and author forms as above)."""
    rng = random.Random(seed)
    n_plant = n // 100
    texts = synthetic_reviews(n - n_plant, seed)
    people = [(rng.choice(FIRST), rng.choice(LAST)) for _ in texts]
    items = [dd.DedupeItem(f"s{i:07d}", t, f"{f} {l}", rng.choice(SOURCES)) for i, (t, (f, l)) in
             enumerate(zip(texts, people))]
    truth = set()
    for k, i in enumerate(rng.sample(range(len(texts)), n_plant)):
        copy = dd.DedupeItem(f"t{k:07d}", plant(rng, texts[i])[0], author_form(rng, *people[i]), "elsewhere")
        items.append(copy)
        truth.add(tuple(sorted((items[i].id, copy.id))))
    return items, truth


def scale_line(n: int, seed: int) -> str:
    """Time and peak memory of find_pairs on n synthetic reviews, and recall of the planted copies."""
    items, truth = scale_corpus(n, seed)
    before = current_rss_mb()
    exact = peak_rss_reset()
    start = time.perf_counter()
    pairs = find_pairs(items)
    took = time.perf_counter() - start
    peak = peak_rss_mb()
    found = {(p.a, p.b) for p in pairs}
    mark = "peak RSS" if exact else "process peak RSS (could not reset the mark)"
    return (f"scale: find_pairs on {n:,} synthetic ~80-word reviews: {took:.1f} s, {mark} {peak:.0f} MB "
            f"(corpus and interpreter before the call {before:.0f} MB, so ~{peak - before:.0f} MB for find_pairs); "
            f"planted copies found {len(found & truth)}/{len(truth)}, other pairs {len(found - truth)}")


def nightly_line(n_known: int, seed: int, n_new: int = 1000) -> str:
    """A nightly run: find_pairs on new reviews against n_known stored signatures, time and peak memory.

    The stored signatures are random values and the known texts are empty placeholders (only the index,
    the author blocks and the signature matrix are exercised, which is what grows with the store).
    """
    rng = np.random.default_rng(seed)
    known_sig = rng.integers(0, 0xFFFF, size=(n_known, NUM_BINS), dtype=np.uint16)
    stored = [row.tobytes() for row in known_sig.astype("<u2")]
    del known_sig
    names = [f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}" for i in range(n_known)]
    known = [dd.DedupeItem(f"k{i:07d}", "", names[i]) for i in range(n_known)]
    new = [dd.DedupeItem(f"n{i:05d}", t, names[i]) for i, t in enumerate(synthetic_reviews(n_new, seed + 1))]
    before = current_rss_mb()
    exact = peak_rss_reset()
    start = time.perf_counter()
    find_pairs(new, known, stored)
    took = time.perf_counter() - start
    peak = peak_rss_mb()
    index = NearDuplicateIndex()
    index.add_matrix(range(n_known), signatures_from_bytes(stored))
    index.candidate_positions(np.zeros((1, NUM_BINS), np.uint16))
    mark = "peak RSS" if exact else "process peak RSS"
    return (f"nightly: {n_new:,} new against {n_known:,} stored signatures (random values): {took:.1f} s, "
            f"{mark} {peak:.0f} MB (stored signatures and items before the call {before:.0f} MB); "
            f"LSH band arrays {index.nbytes / 2**20:.0f} MB")


# --------------------------------------------------------------------------- report


def by_edit(found: set, corpus: Corpus) -> str:
    """Recall per planted edit (a pair counts under each edit it carries)."""
    parts = []
    for edit in EDITS:
        pairs = [p for p, done in corpus.edits.items() if edit in done]
        parts.append(f"{edit} {sum(p in found for p in pairs)}/{len(pairs)}")
    return "  by edit: " + ", ".join(parts)


def line(name: str, s: dict, took: float) -> str:
    """One result line."""
    return (f"{name:<9} recall {s['recall']:.3f} (short {s['short']:.3f}, long {s['long']:.3f})  "
            f"precision {s['precision']:.3f}  [{s['found']} pairs, {s['fp']} false]  {took:.2f} s")


def seeds_line(texts: list[str], args: argparse.Namespace, **variant) -> str:
    """Mean and worst recall/precision of ours over --repeat corpora (seeds seed+1 ...)."""
    runs = []
    for k in range(1, args.repeat + 1):
        corpus = build_corpus(random.Random(args.seed + k), texts, args.short, args.long, "", **variant)
        runs.append(score(run_ours(corpus)[0], corpus))
    parts = [f"{key} {np.mean([r[key] for r in runs]):.3f} (worst {min(r[key] for r in runs):.3f})"
             for key in ("recall", "short", "precision")]
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="reviews for the scale line (0 skips it)")
    parser.add_argument("--index-n", type=int, default=1_000_000,
                        help="stored signatures for the nightly line (0 skips)")
    parser.add_argument("--short", type=int, default=300, help="short base reviews to cross-post")
    parser.add_argument("--long", type=int, default=60, help="long base reviews to cross-post (at most)")
    parser.add_argument("--repeat", type=int, default=5, help="further corpora (other seeds) for the summary lines")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = load_real()
    origin = "real hospital reviews (../shared/realworld/hospital-reviews-bengaluru/hospital.csv)"
    if texts is None:
        texts, origin = synthetic_base(rng), "SYNTHETIC stand-in: ../shared/realworld is absent"
    corpus = build_corpus(rng, texts, args.short, args.long, origin)
    print(f"corpus: {corpus.origin}")
    print(f"base reviews: {corpus.base_count} (dropped {corpus.dropped[0]} identical and {corpus.dropped[1]} "
          f"fragment/near-duplicate rows first)")
    print(f"planted pairs: {len(corpus.truth)} (short <{SHORT_WORDS} words: {len(corpus.short)}, "
          f"long: {len(corpus.truth) - len(corpus.short)})")
    ours, t_ours = run_ours(corpus)
    base, t_base = run_baseline(corpus)
    print(line("ours", score(ours, corpus), t_ours))
    print(by_edit(ours, corpus))
    print(line("baseline", score(base, corpus), t_base))
    print(by_edit(base, corpus))
    print("targets: recall >= 0.95 overall and short, precision >= 0.97")
    if args.repeat:
        print(f"ours over {args.repeat} more seeds: {seeds_line(texts, args)}")
        print(f"  same, authors from only 3 first x 3 last names (different patients share names): "
              f"{seeds_line(texts, args, names=(FIRST[:3], LAST[:3]))}")
        print(f"  same, fragment rows kept as different patients' reviews (their copies count as false): "
              f"{seeds_line(texts, args, fragments=False)}")
    if args.index_n:
        print(nightly_line(args.index_n, args.seed))
    if args.n:
        print(background_line(dedupe_base(texts)[0] if "SYNTHETIC" not in origin else None, args.seed))
        print(scale_line(args.n, args.seed))


if __name__ == "__main__":
    main()
