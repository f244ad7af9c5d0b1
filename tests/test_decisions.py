"""Authorizations and staff decisions over a real store: revocation, expiry, scope, sign-off, disclosure."""

from __future__ import annotations

import json

import pytest

from pipeline import steps
from pipeline.errors import NotPublishable
from pipeline.publish import decisions
from pipeline.runs import run_nightly
from storage import audit
from storage.public import read_public_store
from tests.test_pipeline_e2e import quote_ids, setup  # noqa: F401 (fixture)


@pytest.fixture
def store(setup):  # noqa: F811
    settings, _ = setup
    run_nightly(settings)
    db = steps.open_store(settings)
    yield settings, db
    db.close()


def published(settings) -> list[dict]:
    return read_public_store(settings.public_db)["testimonials"]


def test_revoked_authorization_unpublishes_quote_at_once(store):
    settings, db = store
    quote = quote_ids(settings, "review-form")[0]
    decisions.approve(db, settings, quote, "amy")
    assert len(published(settings)) == 1
    assert decisions.revoke(db, settings, quote, "amy")["revoked"] == 1
    assert published(settings) == []
    with pytest.raises(NotPublishable, match="revoked or has expired"):
        decisions.approve(db, settings, quote, "amy")  # form consent is never silently renewed


def test_expired_authorization_leaves_at_next_publish_without_anyone_acting(store):
    settings, db = store
    quote = quote_ids(settings, "health-directory")[0]
    decisions.approve(db, settings, quote, "amy",
                      decisions.Approval(authorization_ref="signed-1", authorization_expires="2099-01-01"))
    assert len(published(settings)) == 1
    db.execute("UPDATE authorizations SET expires_at = '2026-01-01'")
    steps.publish_now(settings)
    assert published(settings) == []


def test_scoped_authorization_limits_the_name_shown(store):
    settings, db = store
    quote = quote_ids(settings, "health-directory")[0]
    decisions.authorize(db, settings, quote, "amy",
                        decisions.Authorization(reference="signed-2", scope_attribution="Verified patient"))
    with pytest.raises(NotPublishable, match="does not cover"):
        decisions.approve(db, settings, quote, "amy")
    decisions.approve(db, settings, quote, "amy", decisions.Approval(attribution="Verified patient"))
    assert [t["attribution"] for t in published(settings)] == ["Verified patient"]


def test_outcome_claim_waits_for_clinician_sign_off(store):
    settings, db = store
    quote = quote_ids(settings, "review-form")[0]
    row = db.execute("SELECT review_id FROM quotes WHERE id = ?", (quote,)).fetchone()
    text = db.execute("SELECT text FROM reviews WHERE id = ?", row).fetchone()[0]
    claim = {"name": "health_claim", "detail": "outcome", "spans": [[0, len(text)]]}
    db.execute("UPDATE reviews SET flags = json_array(json(?)) WHERE id = ?", (json.dumps(claim), row[0]))
    with pytest.raises(NotPublishable, match="clinician"):
        decisions.approve(db, settings, quote, "amy")
    decisions.clinician_approve(db, settings, quote, "dr-lee")
    decisions.approve(db, settings, quote, "amy")
    assert len(published(settings)) == 1


def test_disclosure_is_published_with_the_quote(store):
    settings, db = store
    quote = quote_ids(settings, "review-form")[0]
    decisions.approve(db, settings, quote, "amy", decisions.Approval(disclosure="Staff member"))
    assert published(settings)[0]["disclosure"] == "Staff member"
    fragment = (settings.export_dir / "testimonials.html").read_text()
    assert "(Staff member)" in fragment


def test_every_decision_is_in_the_audit_chain(store):
    settings, db = store
    quote = quote_ids(settings, "review-form")[0]
    decisions.approve(db, settings, quote, "amy")
    decisions.unpublish(db, settings, quote, "amy")
    decisions.revoke(db, settings, quote, "amy")
    actions = [e["action"] for e in audit.entries(db)]
    assert actions == ["revoke", "unpublish", "approve"] and audit.verify_chain(db) == []
    assert all("Rogers" not in (e["details"] or "") for e in audit.entries(db))


def test_deleting_the_newest_audit_entries_is_detected_by_the_anchor(store):
    settings, db = store
    quote = quote_ids(settings, "review-form")[0]
    decisions.approve(db, settings, quote, "amy")
    decisions.unpublish(db, settings, quote, "amy")
    anchor = decisions.audit_anchor(settings)
    assert audit.anchor_problems(anchor, db) == []
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute("DELETE FROM audit_log WHERE id = 2")  # the chain alone cannot see a cut tail
    assert audit.verify_chain(db) == []
    assert audit.anchor_problems(anchor, db) == ["entries from 2 on were deleted (the anchor file records entry 2)"]


def test_ended_authorizations_are_kept_for_the_retention_period(store):
    settings, db = store
    quote = quote_ids(settings, "health-directory")[0]
    decisions.authorize(db, settings, quote, "amy", decisions.Authorization(reference="old", expires="2015-01-01"))
    decisions.authorize(db, settings, quote, "amy", decisions.Authorization(reference="recent", expires="2024-01-01"))
    decisions.authorize(db, settings, quote, "amy", decisions.Authorization(reference="open"))
    assert steps.apply_retention(settings)["authorizations_pruned"] == 1  # ended over 6 years ago
    assert sorted(r[0] for r in db.execute("SELECT reference FROM authorizations")) == ["open", "recent"]
