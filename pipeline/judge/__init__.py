"""Judging a review: clinic-tuned sentiment and every flag that routes it to a person (the score stage).

Takes: a review's text, rating and author. Gives: the compound score, per-sentence scores, the language guess
and the flags (patient details, crisis, health claims, spam, profanity, insider, incentivised, machine-written,
star/text mismatch, shouting, non-English), each with the character spans it covers.

Modules: `scoring` (the worker pool that scores stored reviews), `sentiment` (VADER per sentence with the
clinic tuning from `clinic_lexicon` and a practice's own `clinic_rules`; `start_words` keeps phrase rules
cheap), `flags` (all flags of one review, mismatch and language), and `detectors/` (one module per kind of
risk or patient detail).

Settings: `sentiment_rules`, `score_workers`, `staff_names`, `blocked_claims` (read by the publish gate).
"""
