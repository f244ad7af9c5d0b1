from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from pipeline.policy import GateCase, active_authorizations, publish_blockers

NOW = "2026-11-25T12:00:00+00:00"
TEXT = "Kind staff and a clean office. Call me at 813-555-0147."
SIGNED = {"kind": "signed", "reference": "auth-1", "revoked_at": None, "expires_at": None}
PHONE = {"name": "contact_details", "detail": "phone", "spans": [[42, 54]]}
OK = GateCase(status="approved", excerpt="Kind staff and a clean office.", attribution="Patsy R.", review_text=TEXT,
              review_deleted=False, source_kind="csv", source_policy="publish", authorizations=(SIGNED,),
              flags=(PHONE,))


def test_a_complete_case_passes():
    assert publish_blockers(OK, NOW) == []


def test_every_reason_is_reported_at_once():
    bad = replace(OK, status="suggested", source_policy="summary_only", authorizations=(),
                  excerpt="Kind staff and a very clean office.", attribution=" ", review_deleted=True)
    reasons = publish_blockers(bad, NOW)
    assert len(reasons) == 6, reasons


def test_listing_review_needs_signed_authorization():
    reasons = publish_blockers(replace(OK, source_kind="schema_org", authorizations=()), NOW)
    assert reasons == ["a review from a public listing needs a signed authorization reference"]


def test_revoked_or_expired_authorization_blocks():
    revoked = {**SIGNED, "revoked_at": "2026-11-24T00:00:00+00:00"}
    expired = {**SIGNED, "expires_at": "2026-11-01"}
    for auth in (revoked, expired):
        assert publish_blockers(replace(OK, authorizations=(auth,)), NOW) == [
            "the patient's authorization was revoked or has expired"]
    assert publish_blockers(replace(OK, authorizations=(revoked, SIGNED)), NOW) == []


def test_excerpt_containing_flagged_contact_details_blocks():
    case = replace(OK, excerpt="Kind staff … 813-555-0147.")
    assert publish_blockers(case, NOW) == ["the excerpt contains flagged patient details"]


def test_crisis_flag_always_blocks():
    crisis = {"name": "crisis", "detail": "self-harm", "spans": []}
    assert "flagged crisis: never published" in publish_blockers(replace(OK, flags=(crisis,)), NOW)


def test_purged_text_blocks():
    assert "purged" in " ".join(publish_blockers(replace(OK, review_text=None), NOW))


auth_strategy = st.fixed_dictionaries({
    "kind": st.sampled_from(["signed", "form_consent"]), "reference": st.just("r"),
    "revoked_at": st.one_of(st.none(), st.just("2026-11-20T00:00:00+00:00")),
    "expires_at": st.one_of(st.none(), st.just("2026-01-01"), st.just("2027-01-01"))})


@given(status=st.sampled_from(["suggested", "approved", "rejected", "unpublished"]),
       policy=st.sampled_from(["publish", "summary_only", "ignore"]),
       kind=st.sampled_from(["csv", "schema_org", "selectors"]),
       auths=st.lists(auth_strategy, max_size=3), deleted=st.booleans(), purged=st.booleans(),
       edited=st.booleans(), crisis=st.booleans())
def test_gate_passes_exactly_when_every_condition_holds(status, policy, kind, auths, deleted, purged, edited, crisis):
    flags = (PHONE,) + (({"name": "crisis", "detail": "", "spans": []},) if crisis else ())
    case = replace(OK, status=status, source_policy=policy, source_kind=kind, authorizations=tuple(auths),
                   review_deleted=deleted, review_text=None if purged else TEXT, flags=flags,
                   excerpt="Kind staff and a very clean office." if edited else OK.excerpt)
    expected = (status == "approved" and policy == "publish" and bool(active_authorizations(auths, NOW))
                and not deleted and not purged and not edited and not crisis)
    assert (publish_blockers(case, NOW) == []) == expected
