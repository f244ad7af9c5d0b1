"""From scored reviews to the website: suggestions, staff decisions, the gate and the public store.

Takes: scored, deduplicated reviews in the internal store and staff decisions. Gives: suggested quotes
(`suggest`, with excerpts and attributions from `quotes`), decisions recorded with their audit entries
(`decisions`), one pure publish gate that names every reason a quote may not be published (`gate`), the public
store rebuilt and swapped in atomically (`build`) and the static export beside it (`export`).

Settings: `excerpt_max_chars`, `suggest_min_compound`, `suggest_min_rating`, `blocked_claims`,
`disclosure_label`, `practice_name`, `public_db`, `export_dir`, and each source's `policy`.
"""
