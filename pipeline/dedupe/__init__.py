"""Exact and near-duplicate reviews within and across sources (the dedupe stage).

Takes: reviews that are new or changed since the last run (their text, author, source and date). Gives: one
duplicate pair per review that joined a cluster (against the cluster's anchor), clusters in the internal store
(one canonical review per cluster shown to staff), and the `suspicious` flag on the same text under a different
author or a whole shared fragment under another name. Stored signatures mean only new reviews are hashed; the
store keeps the anchors' candidate index, so a nightly run looks up its new reviews' candidates instead of
indexing the whole store, and refreshes only the clusters it touched.

Modules: `minhash` (character 5-gram signatures), `lsh` (candidate buckets, never all pairs), `authors` (can
two names be one person), `fragments` (whole shared sentences), `matching` (candidates and the decision rule,
pure), `assign` (placing reviews in clusters: bounded work per review, no chains, pure), `keys` (what the
store's index holds), `clustering` (over the store).

Settings: none; the thresholds are module constants, measured by bench/dedupe_recall.py,
bench/dedupe_templated.py and bench/nightly_scale.py.
"""
