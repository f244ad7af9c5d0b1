"""Judging a review: clinic-tuned sentiment and every flag that routes it to a person (the score stage).

Takes: a review's text, rating and author. Gives: the compound score, per-sentence scores, the language guess
and the flags (patient details, crisis, health claims, spam, profanity, insider, incentivised, machine-written,
star/text mismatch, shouting, non-English), each with the character spans it covers.

Modules: `scoring` (the worker pool that scores stored reviews, and a form's improvement answers),
`sentiment` (VADER per sentence with the clinic tuning from `clinic_lexicon` and `clinic_phrases` and a
practice's own `clinic_rules`; `start_words` keeps phrase rules cheap; `vader` is VADER's word loop with less
work), `flags` (all flags of one review, mismatch and language), and `detectors/` (one module per kind of risk
or patient detail, and the sentence classes the scorer reads as neutral: `wishes` for requests and suggestions,
`earlier_care` for other care).

Settings: `sentiment_rules`, `score_workers`, `staff_names`, `blocked_claims` (read by the publish gate).
"""
