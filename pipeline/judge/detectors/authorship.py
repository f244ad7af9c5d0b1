"""Machine-written reviews, for the `suspicious` risk flag (detail `machine_written`).

Driven by COMPLIANCE.md §2 (AI-written or fake reviews are never published) and FTC-06/FTC-09. A false flag
withholds a real patient's testimonial for good (`policy.NEVER_PUBLISHED`), so the rule keeps precision high:
- one strong marker flags on its own: an assistant's self-reference ("As an AI language model"), a refusal
  ("I'm sorry, but I can't assist"), a chat preamble ("Certainly! Here is a review:") or a template
  placeholder ("[Clinic Name]", "{doctor}");
- otherwise the weak markers are scored and the review flags at `THRESHOLD`: 1 point each for LLM vocabulary
  ("delve", "testament to", "tapestry", "beacon of", "unwavering"… up to 2 points), essay closers ("in
  conclusion"), disclaimers and hedges ("results may vary", "it's worth noting"), markdown structure and "not
  only … but also"; half a point for words real patients also use ("overall, my experience", "furthermore",
  "seamless", "meticulous", "from the moment I walked in", "had the pleasure of").
Limits: a lightly edited or carefully prompted text has none of these markers and passes; a formal human
writer who piles up three or more can be flagged. The spans show staff which words drove the score.
Settings: none (`THRESHOLD` and the weights are module constants).
"""

from __future__ import annotations

from functools import partial

from pipeline.judge.detectors.phrases import merge, rule

THRESHOLD = 3.0

_marker = partial(rule, "suspicious")

STRONG = frozenset({"ai_self_reference", "refusal", "chat_preamble", "placeholder"})
WEIGHTS = {  # (points per distinct phrase, most phrases counted)
    "delve": (1.0, 1), "testament": (1.0, 1), "conclusion": (1.0, 1), "llm_vocabulary": (1.0, 2),
    "hedging": (1.0, 1), "structure": (1.0, 1), "not_only": (1.0, 1),
    "overall": (0.5, 1), "connectors": (0.5, 1), "praise_vocabulary": (0.5, 2), "from_the_moment": (0.5, 1),
    "pleasure": (0.5, 1),
}

RULES = [
    _marker("ai_self_reference", "ai model knowledge training",
            r"\bas an ai\b|\bas an? (?:ai |large )?language model\b|\bi(?:'m| am) (?:just )?an ai\b"
            r"|\bas of my (?:last )?(?:knowledge|training) (?:cutoff|update)\b"),
    _marker("refusal", "sorry apologize",
            r"\bbut (?:as an ai,? )?i (?:can't|cannot|can not|am unable to|am not able to|won't be able to) "
            r"(?:assist|fulfill|comply|generate|produce|write a fake|create a fake)\b",
            lead=r"\b(?:i'm sorry|i am sorry|i apologize),? "),
    _marker("refusal", "fulfill comply", r"\b(?:fulfill|comply with) (?:this|that|your)\b",
            lead=r"\bi (?:cannot|can't|am unable to) "),
    _marker("chat_preamble", "certainly sure absolutely course",
            r"\A\s*(?:certainly|sure|absolutely|of course)[!,.]\s+here(?:'s| is)\b"),
    _marker("chat_preamble", "review testimonial",
            r"\bhere(?:'s| is) (?:a|an) (?:\w+ ){0,3}(?:review|testimonial)(?: for| of| about|:)"),
    _marker("placeholder", "<bracket>",
            r"\[(?:your|clinic|doctor|doctor's|dr\.?|patient|insert|name|location|city|date|business|practice|"
            r"company|staff|provider|treatment)[^\]\n]{0,40}\]|\{(?:name|clinic|doctor|city|business)[^}\n]{0,20}\}"
            r"|<(?:your|clinic|doctor|insert)[^>\n]{0,30}>"),
    _marker("delve", "delve delves delved delving", r"\bdelv(?:e|es|ed|ing)\b"),
    _marker("testament", "testament", r"\btestament to\b"),
    _marker("conclusion", "conclusion summary sum summarize conclude",
            r"\bin (?:conclusion|summary)\b|\bto (?:sum (?:it )?up|summarize|conclude)\b"),
    _marker("llm_vocabulary", "tapestry beacon realm intricacies complexities embark embarked embarking unwavering "
                              "paramount multifaceted underscore underscores underscored pivotal nuanced resonate "
                              "resonated resonates paced evolving",
            r"\b(?:tapestry|beacon of|realm of|intricacies|navigat(?:e|ed|ing) the (?:complexities|intricacies|"
            r"challenges)|embark(?:ed|ing)? on|unwavering|paramount|multifaceted|underscore[sd]?|pivotal|nuanced|"
            r"resonate[sd]?|in today's fast[- ]paced|ever[- ]evolving)\b"),
    _marker("hedging", "vary consult important worth express extend opportunity",
            r"\bresults may vary\b|\bconsult (?:with )?(?:a|your) (?:healthcare|health care|medical|"
            r"qualified)\b|\bit(?:'s| is) (?:important|worth) (?:to note|noting|mentioning)\b"
            r"|\bi would like to (?:express|extend|take this opportunity)\b"),
    _marker("structure", "<star> <heading>", r"\*\*[^*\n]{1,40}\*\*|^#{1,3} \S"),
    _marker("not_only", "only", r"\bnot only\b[^.!?\n]{3,80}\bbut also\b"),
    _marker("overall", "overall", r"\boverall,? (?:my|the) (?:\w+ )?experience\b|\bmy overall experience\b"),
    _marker("connectors", "furthermore moreover additionally", r"\b(?:furthermore|moreover|additionally)\b"),
    _marker("praise_vocabulary", "meticulous meticulously commendable exemplary invaluable seamless seamlessly "
                                 "holistic elevate elevated impeccable",
            r"\b(?:meticulous(?:ly)?|commendable|exemplary|invaluable|seamless(?:ly)?|holistic|elevated?|"
            r"impeccable)\b"),
    _marker("from_the_moment", "moment", r"\bfrom the moment (?:i|we) (?:walked|stepped|arrived|entered)\b"),
    _marker("pleasure", "pleasure privilege", r"\bthe (?:pleasure|privilege) of\b", lead=r"\b(?:had|have) "),
]


def machine_written(markers: dict[str, list[tuple[int, int]]], low: str) -> list[tuple[int, int]] | None:
    """Spans of the markers when they add up to a machine-written review, else None.

    Args:
        markers: spans per marker family, as found by the rules above.
        low: the lower-cased text, to tell distinct phrases of one family apart.
    """
    if not markers:
        return None
    if not STRONG.isdisjoint(markers):
        score = THRESHOLD
    else:
        score = sum(_family_score(family, spans, low) for family, spans in markers.items())
    if score < THRESHOLD:
        return None
    return merge([span for spans in markers.values() for span in spans])


def _family_score(family: str, spans: list[tuple[int, int]], low: str) -> float:
    points, cap = WEIGHTS[family]
    return points * min(cap, len({low[s:e] for s, e in spans}))
