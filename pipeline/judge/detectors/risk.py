"""Risk flags of one review: crisis language, health claims, material connections, spam, profanity, machine text.

`risk_flags` is pure and runs on every review, so every rule is a precompiled, gated regular expression
(`pipeline/judge/detectors/phrases.py`); the rule tables live with their concern:
- `crisis` (suicide / self_harm / overdose), `pipeline/judge/detectors/crisis.py`: never published, shown to staff first
  (COMPLIANCE.md §3, CLAIM-05); the rules err towards flagging.
- `health_claim` (cure / comparative / safety / outcome), `pipeline/judge/detectors/claims.py`. Default policy, from
  COMPLIANCE.md §3 and CLAIM-02: cure (medication changes included), comparative and safety claims are blocked
  (`BLOCKED_CLAIMS`); other outcome claims need a clinician's approval (`CLINICIAN_CLAIMS`). Care-experience
  praise is not a claim. These are defaults: the publish gate (`pipeline/publish/gate.py`) takes the blocked set per
  quote, so counsel can loosen it explicitly.
- `insider` (employee / owner / relative / staff_author) and `incentivized` (discount / gift / free_care /
  payment / raffle / incentive), `pipeline/judge/detectors/connections.py`: disclosed with the quote (§2, FTC-07, FTC-08).
- `spam` (link / promotional / repetitive), `pipeline/judge/detectors/spam.py`, and spam (pharmacy / sales:
  messenger handles, no-prescription and discreet-delivery offers, deals and drug lists in combination),
  `pipeline/judge/detectors/sales.py`, and `suspicious` (machine_written),
  `pipeline/judge/detectors/authorship.py`: never published (§2, FTC-09), so both keep precision high. Text shared with a
  different author is found by `pipeline/dedupe/matching.py`, not here.
- `profanity`, `pipeline/judge/detectors/profanity.py`: kept out of excerpts.
A flag is {"name", "detail", "spans"}, spans being [start, end] character offsets into the text (merged,
sorted; empty when the flag covers the whole review, as for a staff author). Settings: none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.judge.detectors import authorship, claims, connections, crisis, profanity, sales, spam
from pipeline.judge.detectors.phrases import Prepared, RuleSet, prepare
from pipeline.models import flag

BLOCKED_CLAIMS = frozenset({"cure", "comparative", "safety"})
CLINICIAN_CLAIMS = frozenset({"outcome"})
FLAG_NAMES = ("crisis", "health_claim", "insider", "incentivized", "spam", "profanity", "suspicious")

_RULES = RuleSet(crisis.RULES + claims.RULES + connections.RULES + spam.RULES + sales.RULES + profanity.RULES
                 + authorship.RULES)
_DETAIL_ORDER = {detail: n for n, detail in enumerate(dict.fromkeys(
    [r.detail for r in _RULES.rules] + ["staff_author", "repetitive", "pharmacy", "sales", "machine_written"]))}


def risk_flags(text: str, author: str | None = None, staff_names: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Every risk flag of one review, in `FLAG_NAMES` order.

    Args:
        text: the review text (flag spans are offsets into it).
        author: the review's author as the source gives it, matched against `staff_names`.
        staff_names: the practice's staff roster (names, titles and credentials allowed).
    """
    return _collect(text, author, staff_names, gated=True)


def _collect(text: str, author: str | None, staff_names: Iterable[str], gated: bool) -> list[dict[str, Any]]:
    """The flags; gated=False runs every rule regardless of gate words (tests compare the two)."""
    if not text:
        return [flag("insider", "staff_author")] if connections.staff_author(author, staff_names) else []
    prepared = prepare(text)
    found = _RULES.matches(prepared, gated)
    found.update(spam.repetitive_flags(prepared))
    sales.judge(found, prepared)
    _judge_markers(found, prepared)
    if connections.staff_author(author, staff_names):
        found[("insider", "staff_author")] = []
    keys = sorted(found, key=lambda key: (FLAG_NAMES.index(key[0]), _DETAIL_ORDER[key[1]]))
    return [flag(name, detail, found[(name, detail)]) for name, detail in keys]


def _judge_markers(found: dict[tuple[str, str], list[tuple[int, int]]], prepared: Prepared) -> None:
    """Replace the machine-text markers found by one `suspicious` flag, or by nothing when they fall short."""
    markers = {detail: found.pop((name, detail)) for name, detail in list(found) if name == "suspicious"}
    spans = authorship.machine_written(markers, prepared.low)
    if spans is not None:
        found[("suspicious", "machine_written")] = spans
