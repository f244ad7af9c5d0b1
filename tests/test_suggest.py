"""The suggest stage reads only the reviews whose suggestion may have changed (issue 11), and every review once
when the settings that decide a suggestion change."""

from __future__ import annotations

import json

from pipeline.publish.suggest import suggest_quotes
from pipeline.settings import load_settings
from storage import reviews as review_store
from storage.db import open_db
from storage.schema import internal_migrations

TEXT = "The nurses were kind and patient. Dr. Patel explained every option clearly."


def _settings(folder, min_compound: float):
    folder.mkdir(exist_ok=True)
    (folder / "plaudit.toml").write_text(f'[plaudit]\nsuggest_min_compound = {min_compound}\n\n[[sources]]\n'
                                         f'name = "form"\nkind = "csv"\npath = "x/*.csv"\n')
    return load_settings(folder / "plaudit.toml", env={})


def _scored(db, rid: str, compound: float) -> None:
    db.execute("INSERT INTO reviews (id, source, text, author, rating, version, needs_score, compound, sentences, "
               "flags, needs_dedupe) VALUES (?, 'form', ?, 'Ana Ruiz', 5, 1, 0, ?, ?, '[]', 0)",
               [rid, TEXT, compound, json.dumps([[0, len(TEXT), compound]])])


def test_only_reviews_needing_a_look_are_read_and_all_once_when_thresholds_change(tmp_path):
    strict = _settings(tmp_path / "strict", 0.9)
    db = open_db(tmp_path / "p.db", internal_migrations)
    for k in range(3):
        _scored(db, f"r{k}", 0.7)
    assert suggest_quotes(db, strict)["suggested"] == 0  # below the threshold
    assert review_store.count_needing(db, "needs_suggest") == 0
    db.execute("UPDATE reviews SET compound = 0.95 WHERE id = 'r0'")  # not a change the stage is told about
    assert suggest_quotes(db, strict)["suggested"] == 0
    db.execute("UPDATE reviews SET needs_score = 1 WHERE id = 'r0'")
    db.execute("UPDATE reviews SET needs_score = 0 WHERE id = 'r0'")  # rescored: the trigger raises the flag
    assert review_store.count_needing(db, "needs_suggest") == 1
    assert suggest_quotes(db, strict)["suggested"] == 1
    assert suggest_quotes(db, _settings(tmp_path / "lenient", 0.5))["suggested"] == 2  # every review looked at


def test_a_removed_suggestion_is_looked_at_again(tmp_path):
    settings = _settings(tmp_path / "s", 0.5)
    db = open_db(tmp_path / "p.db", internal_migrations)
    _scored(db, "r0", 0.8)
    assert suggest_quotes(db, settings)["suggested"] == 1
    db.execute("DELETE FROM quotes")
    assert suggest_quotes(db, settings)["suggested"] == 1
