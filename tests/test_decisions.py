"""Authorizations and staff decisions over a real store: revocation, expiry, scope, sign-off, disclosure."""

from __future__ import annotations

import json

import pytest

from pipeline import steps
from pipeline.dates import InvalidDate
from pipeline.errors import NotPublishable
from pipeline.publish import decisions
from pipeline.runs import run_nightly
from plaudit.cli import main
from storage import audit
from storage.schema import internal_migrations
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


@pytest.mark.parametrize("typed", ["notadate", "31/12/2027", "2027-02-30"])
def test_an_expiry_that_is_not_a_date_is_refused_at_the_command_line(store, capsys, typed):
    settings, db = store
    quote = quote_ids(settings, "health-directory")[0]
    with pytest.raises(SystemExit) as exit_info:
        main(["--config", str(settings.config_path), "approve", str(quote), "--authorization", "s-1",
              "--expires", typed])
    assert exit_info.value.code == 2
    assert "expected an ISO 8601 date such as 2027-12-31" in capsys.readouterr().err
    assert db["authorizations"].count == 0 and published(settings) == []


def test_expiry_is_stored_as_a_utc_instant_and_checked_by_the_library_too(store):
    settings, db = store
    quote = quote_ids(settings, "health-directory")[0]
    with pytest.raises(InvalidDate):
        decisions.approve(db, settings, quote, "amy",
                          decisions.Approval(authorization_ref="s-1", authorization_expires="notadate"))
    assert db["authorizations"].count == 0
    decisions.approve(db, settings, quote, "amy",
                      decisions.Approval(authorization_ref="s-1", authorization_expires="2099-06-30T17:00-04:00"))
    assert [r["expires_at"] for r in db.query("SELECT expires_at FROM authorizations")] == [
        "2099-06-30T21:00:00+00:00"]


def test_stored_expiries_are_migrated_and_an_unreadable_one_counts_as_expired(store, capsys):
    settings, db = store
    quote = quote_ids(settings, "health-directory")[0]
    decisions.approve(db, settings, quote, "amy", decisions.Approval(authorization_ref="s-1"))
    assert len(published(settings)) == 1
    db.execute("UPDATE authorizations SET expires_at = 'notadate'")
    second = db.execute("INSERT INTO authorizations (review_id, kind, reference, expires_at) "
                        "SELECT review_id, 'signed', 'old', '2099-12-31' FROM authorizations").lastrowid
    db.execute("UPDATE authorizations SET revoked_at = '2026-01-01' WHERE id = ?", [second])
    m007 = next(m for m in internal_migrations._migrations if m.name == "m007_expiry_as_utc_instants")
    m007.fn(db)
    stored = dict(db.execute("SELECT reference, expires_at FROM authorizations").fetchall())
    assert stored == {"s-1": "notadate", "old": "2099-12-31T23:59:59+00:00"}
    steps.publish_now(settings)
    assert published(settings) == []
    assert main(["--config", str(settings.config_path), "queue", "--status", "approved"]) == 0
    out = capsys.readouterr().out
    assert "HELD BACK" in out and "expiry on record is not a date ('notadate')" in out


def test_an_attribution_with_contact_details_is_refused_with_every_reason(store, capsys):
    settings, db = store
    quote = quote_ids(settings, "health-directory")[0]  # a public listing: no consent on record
    code = main(["--config", str(settings.config_path), "approve", str(quote), "--by", "amy",
                 "--attribution", "Patsy Rogers, patsy.rogers@example.com, (813) 555-0101",
                 "--excerpt", "Something the review never said."])
    err = capsys.readouterr().err
    assert code == 2
    for reason in ("no authorization on record for a quote from Health Directory",
                   "the attribution contains an email address", "the attribution contains a phone number",
                   "not a deletion-only excerpt"):
        assert reason in err, err
    assert err.count("fix:") == 4
    assert published(settings) == []


def test_a_made_up_name_on_a_form_consent_quote_is_refused(store):
    settings, db = store
    quote = quote_ids(settings, "review-form")[0]
    with pytest.raises(NotPublishable, match="is not a form of the name the patient gave"):
        decisions.approve(db, settings, quote, "amy", decisions.Approval(attribution="Jane Q. Public"))


def test_queue_shows_approved_quotes_that_left_the_website_and_why(store, capsys):
    settings, db = store
    first, second = [r[0] for r in db.execute("SELECT q.id FROM quotes q JOIN reviews r ON r.id = q.review_id "
                                              "WHERE r.consent_given = 1 ORDER BY q.id LIMIT 2")]
    decisions.approve(db, settings, first, "amy")
    decisions.approve(db, settings, second, "amy")
    decisions.revoke(db, settings, first, "amy")
    assert main(["--config", str(settings.config_path), "queue", "--status", "approved"]) == 0
    out = capsys.readouterr().out
    blocks = {int(b.split("]")[0]): b for b in out.split("[")[1:]}
    assert "HELD BACK" in blocks[first] and "revoked or has expired" in blocks[first]
    assert "ON THE WEBSITE" in blocks[second]


def test_revoking_a_quote_with_no_authorization_is_refused(store, capsys):
    settings, db = store
    listed = quote_ids(settings, "health-directory")[0]
    assert main(["--config", str(settings.config_path), "revoke", str(listed), "--by", "amy"]) == 2
    assert "nothing to revoke" in capsys.readouterr().err
    assert db["authorizations"].count == 0


def test_revoking_unused_form_consent_keeps_it_from_ever_being_used(store):
    settings, db = store
    quote = quote_ids(settings, "review-form")[0]
    assert decisions.revoke(db, settings, quote, "amy")["revoked"] == 1
    with pytest.raises(NotPublishable, match="revoked or has expired"):
        decisions.approve(db, settings, quote, "amy")
