"""Clinic-tuned sentiment: VADER with the clinic lexicon and phrase rules, scored sentence by sentence.

Sentence by sentence is faster than whole texts, and excerpts need it anyway. The review's compound score sums
the sentences' raw valences and normalises them the way VADER normalises a whole text. Phrase rules
(`pipeline.judge.clinic_lexicon`) replace each match with one token that the tuned lexicon scores, so VADER's
negation and boosters still apply around it. The score comes from the text alone, never the rating.

One analyzer per process (loading the lexicon is slow); the tuned analyzer shares its tables and only
swaps the lexicon, scores with `pipeline.judge.vader` (VADER's arithmetic, less work) and remembers the scores
of the last `SENTENCE_CACHE` distinct sentences it saw, since reviews repeat short sentences. `configure(rules)` sets the rules for this process and for pools created after it;
without it the default set is used. `score_whole` is plain VADER on the whole text (the baseline).
Settings: `sentiment_rules` (a practice's rules file, see `pipeline.judge.clinic_rules`), `score_workers` (pool size).
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from pipeline.judge import vader
from pipeline.judge.clinic_lexicon import SYMPTOM, ClinicRules, default_rules
from pipeline.judge.detectors import earlier_care
from pipeline.judge.detectors.wishes import TRIGGER_WORDS as WISH_WORDS
from pipeline.judge.detectors.wishes import is_wish
from pipeline.judge.start_words import start_words
from pipeline.text import split_sentences

VADER_ALPHA = 15.0  # VADER's normalisation constant: compound = x / sqrt(x^2 + alpha)
_MAX_RAW = 1e6
# Sentences remembered per process: real reviews repeat short ones ("Great staff.") thousands of times.
SENTENCE_CACHE = 50_000
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))  # a-z kept, all else a space

_rules: ClinicRules | None = None  # None: the default set
_log = logging.getLogger(__name__)

# Phrase rules whose match is the reviewer telling others to stay away: such a review is never suggested.
VERDICTS_AGAINST = frozenset({"warning", "never_again"})


@dataclass(frozen=True, slots=True)
class TextScore:
    """A review's compound score, each sentence's span and compound, and the spans of wish sentences.

    A request, wish or suggestion that VADER reads as praise scores 0.0 (`pipeline.judge.detectors.wishes`);
    `wishes` holds those sentences' spans.
    """

    compound: float
    sentences: tuple[tuple[int, int, float], ...]
    wishes: tuple[tuple[int, int], ...] = ()
    warnings: tuple[tuple[int, int], ...] = ()  # spans that tell other patients to stay away (VERDICTS_AGAINST)


@dataclass(frozen=True, slots=True)
class _Tuned:
    """The compiled clinic rules: the tuned analyzer and the phrase rules, indexed by the words they start with.

    Rules that can start with the same word are joined into one pattern (in priority order), tried once at
    each occurrence of the word; `group_rule` maps the group that matched to its rule.
    """

    analyzer: SentimentIntensityAnalyzer
    tokens: tuple[str, ...]  # the word each rule's matches become
    names: tuple[str, ...]  # each rule's name
    index: dict[bytes, tuple[re.Pattern[str], dict[int, int]]]  # start word -> (joined pattern, group_rule)
    scanned: tuple[tuple[int, re.Pattern[str]], ...]  # rules with no known start words: searched everywhere
    compound: Callable[[str], float]  # a sentence's compound score by the tuned analyzer, recent ones remembered


class _ClinicAnalyzer(SentimentIntensityAnalyzer):
    """VADER with the clinic lexicon, sharing the plain analyzer's tables instead of reading them again.

    Its `compound` skips VADER's character-by-character emoji pass for text without emoji, which that pass leaves
    unchanged (a test pins the equality), and runs VADER's word loop as `pipeline.judge.vader` re-implements it.
    """

    def __init__(self, plain: SentimentIntensityAnalyzer, lexicon: dict[str, float]):
        self.__dict__.update(plain.__dict__)
        self.lexicon = lexicon
        self.emoji_chars = frozenset(e for e in self.emojis if len(e) == 1)  # VADER looks up one character

    def compound(self, text: str) -> float:
        """VADER's compound score for the text, rounded to 4 places (`pipeline.judge.vader` unless it holds emoji)."""
        if not text.isascii() and not self.emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)["compound"]
        return vader.compound(text, self.lexicon)


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """The process's single plain VADER analyzer."""
    return SentimentIntensityAnalyzer()


def configure(rules: ClinicRules | None = None) -> None:
    """Use these clinic rules (None: the default set) from now on, here and in pools created afterwards."""
    global _rules
    if rules != _rules:
        _rules = rules
        _tuned.cache_clear()


def current_rules() -> ClinicRules:
    """The clinic rules in use."""
    return _rules if _rules is not None else default_rules()


@lru_cache(maxsize=1)
def _tuned() -> _Tuned:
    """Compile the current rules: the tuned lexicon, one token per phrase rule, the start-word index."""
    rules = current_rules()
    lexicon = dict(analyzer().lexicon)
    for word, valence in rules.lexicon.items():
        if valence:
            lexicon[word] = valence
        else:
            lexicon.pop(word, None)
    symptoms = _alternation(rules.symptoms)
    active = [rule for rule in rules.phrases if rule.enabled]
    bodies = [rule.pattern.replace(SYMPTOM, symptoms) for rule in active]
    tokens = tuple(f"plauditphrase{i}x" for i in range(len(bodies)))
    lexicon.update((token, rule.valence) for token, rule in zip(tokens, active) if rule.valence)
    by_word: dict[str, tuple[int, ...]] = {}
    scanned = []
    for i, body in enumerate(bodies):
        starts = start_words(body)
        if starts is None:
            _log.warning("sentiment rule %r does not start with a word; it is searched for everywhere, which is "
                         "slower", active[i].name)
            scanned.append((i, re.compile(rf"(?<![\w'’])(?:{body})(?![\w'’])")))
        for word in starts or ():
            by_word[word] = by_word.get(word, ()) + (i,)
    joined = {ids: _join(bodies, ids) for ids in set(by_word.values())}
    index = {w.encode(): joined[ids] for w, ids in by_word.items()}
    names = tuple(rule.name for rule in active)
    clinic = _ClinicAnalyzer(analyzer(), lexicon)
    return _Tuned(clinic, tokens, names, index, tuple(scanned), lru_cache(maxsize=SENTENCE_CACHE)(clinic.compound))


_VADER_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def _join(bodies: list[str], ids: tuple[int, ...]) -> tuple[re.Pattern[str], dict[int, int]]:
    """One pattern trying the rules `ids` in order, and the rule behind each top-level group."""
    parts, group_rule, group = [], {}, 1
    for i in ids:
        parts.append(f"({bodies[i]})")
        group_rule[group] = i
        group += 1 + re.compile(bodies[i]).groups
    return re.compile(f"(?:{'|'.join(parts)})(?![\\w'’])"), group_rule


def _alternation(phrases: tuple[str, ...]) -> str:
    """A regex for any of the phrases, as a prefix tree (one branch per first letter, so a miss fails fast).

    Longer phrases win ("panic attacks" before "panic"); words may be joined by spaces or a hyphen.
    """
    tree: dict = {}
    for phrase in {" ".join(p.lower().split()) for p in phrases if p.strip()}:
        node = tree
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _tree_regex(tree) or "(?!)"


def _tree_regex(node: dict) -> str:
    branches = [(r"[\s-]+" if ch == " " else re.escape(ch)) + _tree_regex(child)
                for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _lower(text: str) -> str:
    """The text in lower case, character for character (offsets stay valid)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _start_words_in(padded: bytes, words: set[bytes], index: dict[bytes, Any]) -> list[tuple[bytes, int]]:
    """(word, offset) of each whole-word occurrence of the index's words in the text (`padded`: its runs of a-z
    between spaces; `words`: the set of them)."""
    found = []
    for word in words & index.keys():
        needle = b" " + word + b" "
        at = padded.find(needle)
        while at >= 0:
            found.append((word, at))  # the word starts at at + 1 in padded, so at `at` in the text
            at = padded.find(needle, at + len(word) + 1)
    return found


def phrase_matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, rule name) of the text the phrase rules claim, in text order (to see why a text scored so)."""
    names = _tuned().names
    return [(start, end, names[i]) for start, end, i in _claims(text)]


def _claims(text: str) -> list[tuple[int, int, int]]:
    """(start, end, rule index) of the text the phrase rules claim, in text order.

    At each word, the first rule (in order) that matches there is the candidate; candidates then claim
    their text in rule order, skipping any that overlaps text an earlier rule claimed.
    """
    return _claims_and_words(text)[0]


def _claims_and_words(text: str) -> tuple[list[tuple[int, int, int]], set[bytes]]:
    """The phrase rules' claims (`_claims`) and the text's words (runs of a-z), which the sentence detectors'
    trigger words are tested against."""
    tuned = _tuned()
    lower = _lower(text)
    padded = b" " + lower.encode("ascii", "replace").translate(_LETTERS_ONLY) + b" "
    words = set(padded.split())
    found = []
    index = tuned.index
    for word, at in _start_words_in(padded, words, index):
        pattern, group_rule = index[word]
        m = pattern.match(lower, at)
        if m:
            found.append((group_rule[m.lastindex], at, m.end()))
    for i, pattern in tuned.scanned:
        found.extend((i, m.start(), m.end()) for m in pattern.finditer(lower))
    claimed: list[tuple[int, int, int]] = []
    for i, start, end in sorted(found):
        if not any(start < c_end and c_start < end for c_start, c_end, _ in claimed):
            claimed.append((start, end, i))
    return sorted(claimed), words


def _raw(compound: float) -> float:
    """Invert VADER's normalisation: the valence sum behind a compound score."""
    if abs(compound) >= 0.9999:
        return math.copysign(_MAX_RAW if abs(compound) >= 1 else 0.9999 * math.sqrt(VADER_ALPHA / (1 - 0.9999 ** 2)),
                             compound)
    return compound * math.sqrt(VADER_ALPHA / (1 - compound * compound))


def normalise_raw(total: float) -> float:
    """VADER's normalisation of a valence sum to [-1, 1]."""
    return total / math.sqrt(total * total + VADER_ALPHA)


def _combine(scored: list[tuple[int, int, float]], wishes: tuple[tuple[int, int], ...] = (),
             warnings: tuple[tuple[int, int], ...] = ()) -> TextScore:
    total = sum(_raw(c) for _, _, c in scored)
    return TextScore(round(normalise_raw(total), 4) if scored else 0.0, tuple(scored), wishes, warnings)


def _warnings(matches: list[tuple[int, int, int]], names: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Spans the phrase rules read as a verdict against the practice ("Avoid for surgery", "Never again")."""
    return tuple((start, end) for start, end, i in matches if names[i] in VERDICTS_AGAINST)


def score_text(text: str) -> TextScore:
    """The clinic-tuned score: each sentence with phrase rules applied, scored by the tuned VADER.

    A sentence that reads as praise but is a request, wish or suggestion scores 0.0 (at most neutral), and so
    does a negative one about earlier or other care (`pipeline.judge.detectors.earlier_care`).
    """
    tuned = _tuned()
    matches, words = _claims_and_words(text) if text else ([], set())
    scored, wishes, k = [], [], 0
    wish_words = not WISH_WORDS.isdisjoint(words)  # without them only an imperative or a comparative can be one
    earlier = not earlier_care.TRIGGER_WORDS.isdisjoint(words)
    for start, end in split_sentences(text):
        sentence = text[start:end]
        if k < len(matches) and matches[k][0] < end:
            sentence, k = _rewrite(text, start, end, matches, k, tuned.tokens)
        compound = tuned.compound(sentence)  # 0.0 without sentiment words, checked first
        if compound > 0 and is_wish(text[start:end], wish_words):
            compound = 0.0
            wishes.append((start, end))
        elif compound < 0 and earlier and earlier_care.about_earlier_care(text[start:end]):
            compound = 0.0
        scored.append((start, end, compound))
    return _combine(scored, tuple(wishes), _warnings(matches, tuned.names))


def score_shouted(text: str) -> TextScore:
    """The score of text written mostly in capitals: each sentence as if lower-cased, never above it as written.

    VADER boosts ALL-CAPS words beside lower-case ones, so shouting would raise a polite rant's score; scored
    lower-cased it cannot, and the minimum keeps capitals from making an angry sentence milder either.
    """
    written, calm = score_text(text), score_text(_lower(text))
    if [s[:2] for s in written.sentences] != [s[:2] for s in calm.sentences]:
        return calm
    return _combine([(s, e, min(a, b)) for (s, e, a), (_, _, b) in zip(written.sentences, calm.sentences)],
                    warnings=written.warnings)


def _without_sentiment_words(sentence: str, lexicon: dict[str, float]) -> bool:
    """True when VADER would score the sentence 0.0 because none of its tokens is in the lexicon.

    VADER gives valence only to lexicon words (boosters, negations and "but" only reweight them), so such a
    sentence scores exactly 0.0 (`pipeline.judge.vader` returns it after one set test). ASCII only: VADER reads
    emoji as words. The backfill benchmark reports the share of such sentences.
    """
    if not sentence.isascii():
        return False
    for token in sentence.lower().split():
        if token in lexicon or token.strip(_VADER_PUNCT) in lexicon:
            return False
    return True


def _rewrite(text: str, start: int, end: int, matches: list[tuple[int, int, int]], k: int,
             tokens: tuple[str, ...]) -> tuple[str, int]:
    """The sentence text[start:end] with the matches inside it replaced by their rules' tokens."""
    parts, at = [], start
    while k < len(matches) and matches[k][0] < end:
        m_start, m_end, i = matches[k]
        k += 1
        if m_start >= start and m_end <= end:  # a match across sentences is left alone
            parts += (text[at:m_start], tokens[i])
            at = m_end
    parts.append(text[at:end])
    return "".join(parts), k


def score_sentences_plain(text: str) -> TextScore:
    """Plain VADER sentence by sentence, combined like `score_text` (isolates what the clinic rules add)."""
    polarity = analyzer().polarity_scores
    return _combine([(s, e, round(polarity(text[s:e])["compound"], 4)) for s, e in split_sentences(text)])


def score_whole(text: str) -> float:
    """Plain VADER on the whole text in one call (the naive baseline, for comparison)."""
    return analyzer().polarity_scores(text)["compound"]


def scoring_pool(workers: int) -> ProcessPoolExecutor | None:
    """A process pool for large scoring runs (None when one process is asked for); the caller shuts it down.

    Workers use the rules configured when the pool is made (inherited when forked, passed when spawned).
    """
    if workers == 0:
        workers = os.cpu_count() or 1
    if workers <= 1:
        return None
    _tuned()  # load the lexicon and compile the rules before forking so workers inherit them
    return ProcessPoolExecutor(max_workers=workers, initializer=configure, initargs=(_rules,))
