"""Exact and near-duplicate reviews within and across sources (the dedupe stage).

Takes: reviews that are new or changed since the last run (their text, author, source and date). Gives:
duplicate pairs and clusters in the internal store (one canonical review per cluster shown to staff), and the
`suspicious` flag on the same text under a different author. Stored signatures mean only new reviews are hashed.

Modules: `minhash` (character 5-gram signatures), `lsh` (candidate buckets, never all pairs), `authors` (can
two names be one person), `matching` (candidates and the decision rule, pure), `clustering` (over the store).

Settings: none; the thresholds are module constants, measured by bench/dedupe_recall.py.
"""
