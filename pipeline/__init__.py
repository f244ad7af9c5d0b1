"""Plaudit's core: the data's way from patient feedback to published testimonials, as plain functions.

    sources ──collect──▶ reviews ──judge──▶ dedupe ──suggest──▶ quotes ──staff──▶ publish ──▶ public store
    pipeline.sources      (storage)  pipeline.judge  pipeline.dedupe  pipeline.publish              (+ export)

One package per stage:
- `net/`: the polite HTTP client every listing page and API goes through;
- `sources/`: every kind of review input and the raw review → store row step;
- `judge/`: clinic-tuned sentiment, the flag detectors and the scoring pool that runs them;
- `dedupe/`: exact and near duplicates across sources, clusters in the internal store;
- `publish/`: suggested quotes, the publish gate, staff decisions, the public store and the static export;
- `ops/`: telling people what happened (notifications).

At the root only what every stage shares (`models`, `settings`, `errors`, `text`) and the two orchestrating
modules: `steps` (the nightly stages as plain functions) and `runs` (a run's record and report).
Nothing here imports Prefect, a web framework, `flows`, `web` or `plaudit`; `storage` is the only layer below.
"""
