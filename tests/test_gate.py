"""The publish gate, by example and exhaustively over its inputs (property-based)."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.publish.gate import GateCase, active_authorizations, in_scope, publish_blockers

NOW = "2026-11-25T12:00:00+00:00"
TEXT = "Kind staff and a clean office. Call me at 813-555-0147. Ketamine cured my depression."
#       0         1         2         3         4         5         6         7         8
KIND = "Kind staff and a clean office."
SIGNED = {"kind": "signed", "reference": "auth-1", "revoked_at": None, "expires_at": None}
PHONE = {"name": "patient_detail", "detail": "phone", "spans": [[42, 54]]}
CURE = {"name": "health_claim", "detail": "cure", "spans": [[56, 84]]}
OK = GateCase(status="approved", excerpt=KIND, attribution="Patsy R.", review_text=TEXT, review_deleted=False,
              source_kind="csv", source_policy="publish", authorizations=(SIGNED,), flags=(PHONE, CURE),
              author="Patsy Rogers")


def test_spans_in_fixture_point_at_the_right_text():
    assert TEXT[42:54] == "813-555-0147" and TEXT[56:84] == "Ketamine cured my depression"


def test_a_complete_case_passes():
    assert publish_blockers(OK, NOW) == []


def test_every_reason_is_reported_at_once():
    bad = replace(OK, status="suggested", source_policy="summary_only", authorizations=(),
                  excerpt="Kind staff and a very clean office.", attribution=" ", review_deleted=True)
    assert len(publish_blockers(bad, NOW)) == 6


@pytest.mark.parametrize("case", [
    replace(OK, status="suggested", source_policy="summary_only", authorizations=(), attribution=" ",
            excerpt="Kind staff and a very clean office.", review_deleted=True),
    replace(OK, authorizations=({**SIGNED, "expires_at": "next spring"},), attribution="Patsy Rogers-Smith",
            flags=({"name": "insider", "detail": "staff"},)),
    replace(OK, excerpt="Ketamine cured my depression", authorizations=(), source_kind="schema_org"),
], ids=["many", "expiry-and-name", "claim"])
def test_fixes_are_plain_words_and_commands_stand_apart(case):
    """The staff app shows `fix`; the command line adds `command`: a fix never names a command."""
    reasons = publish_blockers(case, NOW)
    assert reasons and all(r.fix for r in reasons)
    assert not [r.fix for r in reasons if "`" in r.fix or "plaudit " in r.fix or "--" in r.fix]
    assert any(r.command.startswith("plaudit ") for r in reasons)


def test_listing_review_needs_signed_authorization():
    reasons = publish_blockers(replace(OK, source_kind="schema_org", authorizations=(), source_label="Google"), NOW)
    assert reasons == ["no authorization on record for a quote from Google: a review from a public listing needs "
                       "a signed authorization reference"]
    assert "plaudit authorize" in reasons[0].command and "`" not in reasons[0].fix


def test_revoked_or_expired_authorization_blocks():
    revoked = {**SIGNED, "revoked_at": "2026-11-24T00:00:00+00:00"}
    expired = {**SIGNED, "expires_at": "2026-11-01"}
    for auth in (revoked, expired):
        assert publish_blockers(replace(OK, authorizations=(auth,)), NOW) == [
            "the patient's authorization was revoked or has expired"]
    assert publish_blockers(replace(OK, authorizations=(revoked, SIGNED)), NOW) == []


def test_authorization_scope_limits_excerpt_and_name():
    scoped = {**SIGNED, "scope_attribution": "Patsy R.", "scope_excerpt": KIND}
    assert publish_blockers(replace(OK, authorizations=(scoped,)), NOW) == []
    assert in_scope(scoped, "Kind staff …", "Verified patient")
    for case in (replace(OK, authorizations=(scoped,), attribution="Patsy Rogers"),
                 replace(OK, authorizations=(scoped,), excerpt="Kind staff … Call me")):
        assert publish_blockers(case, NOW) == [
            "the authorization on record does not cover this excerpt or this attribution"]


def test_excerpt_containing_flagged_patient_details_blocks():
    case = replace(OK, excerpt="Kind staff … 813-555-0147.")
    assert publish_blockers(case, NOW) == ["the excerpt contains a phone number"]


def test_claim_outside_the_excerpt_does_not_block_but_inside_does():
    assert publish_blockers(OK, NOW) == []
    inside = replace(OK, excerpt="Kind staff … Ketamine cured my depression.")
    assert publish_blockers(inside, NOW) == ["the excerpt makes a cure claim, which is blocked"]


def test_outcome_claim_needs_clinician_sign_off():
    outcome = {"name": "health_claim", "detail": "outcome", "spans": [[56, 84]]}
    case = replace(OK, flags=(outcome,), excerpt="Ketamine cured my depression.")
    assert publish_blockers(case, NOW) == [
        "the excerpt makes a health-outcome claim (outcome) that needs a clinician's sign-off"]
    assert publish_blockers(replace(case, clinician_approved=True), NOW) == []


def test_crisis_spam_and_suspicious_always_block():
    for name in ("crisis", "spam", "suspicious"):
        flag = {"name": name, "detail": "x", "spans": []}
        assert publish_blockers(replace(OK, flags=(flag,), clinician_approved=True), NOW) == [
            f"flagged {name} (x): never published"]


def test_insider_review_needs_a_disclosure():
    insider = {"name": "insider", "detail": "works here", "spans": []}
    assert publish_blockers(replace(OK, flags=(insider,)), NOW) == [
        "an insider review needs a disclosure shown with the quote"]
    assert publish_blockers(replace(OK, flags=(insider,), disclosure="Staff member"), NOW) == []


def test_purged_text_blocks():
    assert "purged" in " ".join(publish_blockers(replace(OK, review_text=None), NOW))


auth_strategy = st.fixed_dictionaries({
    "kind": st.sampled_from(["signed", "form_consent"]), "reference": st.just("r"),
    "revoked_at": st.one_of(st.none(), st.just("2026-11-20T00:00:00+00:00")),
    "expires_at": st.one_of(st.none(), st.just("2026-01-01"), st.just("2027-01-01")),
    "scope_attribution": st.sampled_from([None, "Patsy R.", "Pat R."]),
    "scope_excerpt": st.sampled_from([None, TEXT, "Clean rooms."])})
EXCERPTS = {"kind": KIND, "with_phone": "Kind staff … 813-555-0147.", "with_claim": "Kind staff … Ketamine cured",
            "edited": "Kind staff and a very clean office."}
FLAG_CHOICES = {"crisis": {"name": "crisis", "detail": "", "spans": []},
                "spam": {"name": "spam", "detail": "link", "spans": []},
                "suspicious": {"name": "suspicious", "detail": "machine_written", "spans": []},
                "insider": {"name": "insider", "detail": "", "spans": []},
                "mismatch": {"name": "mismatch", "detail": "", "spans": []}}


@given(status=st.sampled_from(["suggested", "approved", "rejected", "unpublished"]),
       policy=st.sampled_from(["publish", "summary_only", "ignore"]),
       kind=st.sampled_from(["csv", "schema_org", "selectors"]),
       auths=st.lists(auth_strategy, max_size=3), deleted=st.booleans(), purged=st.booleans(),
       excerpt=st.sampled_from(sorted(EXCERPTS)), claim=st.sampled_from(["cure", "comparative", "safety", "outcome"]),
       clinician=st.booleans(), extra=st.sets(st.sampled_from(sorted(FLAG_CHOICES))), disclosure=st.booleans(),
       attribution=st.sampled_from(["Patsy R.", "Verified patient", ""]))
def test_gate_passes_exactly_when_every_condition_holds(status, policy, kind, auths, deleted, purged, excerpt,
                                                        claim, clinician, extra, disclosure, attribution):
    claim_flag = {"name": "health_claim", "detail": claim, "spans": [[56, 84]]}
    case = replace(OK, status=status, source_policy=policy, source_kind=kind, authorizations=tuple(auths),
                   review_deleted=deleted, review_text=None if purged else TEXT, excerpt=EXCERPTS[excerpt],
                   flags=(PHONE, claim_flag) + tuple(FLAG_CHOICES[f] for f in sorted(extra)),
                   clinician_approved=clinician, disclosure="Staff member" if disclosure else "",
                   attribution=attribution)
    authorized = any(in_scope(a, case.excerpt, attribution) for a in active_authorizations(auths, NOW))
    claim_ok = excerpt != "with_claim" or (claim == "outcome" and clinician)
    expected = (status == "approved" and policy == "publish" and authorized and not deleted and not purged
                and excerpt in ("kind", "with_claim") and claim_ok and bool(attribution)
                and not extra & {"crisis", "spam", "suspicious"} and ("insider" not in extra or disclosure))
    reasons = publish_blockers(case, NOW)
    assert (reasons == []) == expected, reasons
    assert len(reasons) == len(set(reasons))


def test_expiry_is_compared_as_a_date_not_as_text():
    # "notadate" > "2026-..." as strings, so it never expired (issue 9, item 2)
    for stored in ("notadate", "31/12/2027", "2027-02-30"):
        reasons = publish_blockers(replace(OK, authorizations=({**SIGNED, "expires_at": stored},)), NOW)
        assert len(reasons) == 1 and "is not a date" in reasons[0] and "--expires" in reasons[0].command and "expiry date" in reasons[0].fix
    later = {**SIGNED, "expires_at": "2026-11-25T13:00:00+00:00"}
    earlier_offset = {**SIGNED, "expires_at": "2026-11-25T06:30:00-05:00"}  # 11:30 UTC: already past
    assert publish_blockers(replace(OK, authorizations=(later,)), NOW) == []
    assert publish_blockers(replace(OK, authorizations=(earlier_offset,)), NOW) == [
        "the patient's authorization was revoked or has expired"]
    assert publish_blockers(replace(OK, authorizations=({**SIGNED, "expires_at": "2026-11-25"},)), NOW) == []


@pytest.mark.parametrize("attribution, detail", [
    ("Patsy Rogers, patsy.rogers@example.com", "an email address"),
    ("Patsy R. (813) 555-0101", "a phone number"),
    ("Patsy R., 915 W Kennedy Blvd, Tampa FL 33606", "a street address"),
])
def test_attribution_with_contact_details_is_refused(attribution, detail):
    reasons = publish_blockers(replace(OK, attribution=attribution), NOW)
    assert f"the attribution contains {detail}" in reasons


@pytest.mark.parametrize("attribution", ["Patsy R.", "Patsy", "P. R.", "Verified patient", "Patsy R., Tampa"])
def test_forms_derived_from_the_given_name_pass(attribution):
    consent = {"kind": "form_consent", "reference": "form", "revoked_at": None, "expires_at": None}
    assert publish_blockers(replace(OK, attribution=attribution, authorizations=(consent,)), NOW) == []


def test_full_or_made_up_names_need_the_consent_or_a_signed_authorization_to_cover_them():
    consent = {"kind": "form_consent", "reference": "form", "revoked_at": None, "expires_at": None}
    form = replace(OK, authorizations=(consent,))
    for name in ("Patsy Rogers", "Jane D.", "Dr. Patsy"):
        reasons = publish_blockers(replace(form, attribution=name), NOW)
        assert reasons == [f"the attribution {name!r} is not a form of the name the patient gave"], reasons
        assert "Patsy R." in reasons[0].fix
    assert publish_blockers(replace(form, attribution="Patsy Rogers", consent_covers_full_name=True), NOW) == []
    assert publish_blockers(replace(OK, attribution="Patsy Rogers"), NOW) == []  # signed authorization
    scoped = {**SIGNED, "scope_attribution": "Mrs. R."}
    assert publish_blockers(replace(OK, attribution="Mrs. R.", authorizations=(scoped,)), NOW) == []


def test_every_reason_comes_with_a_fix():
    bad = replace(OK, status="suggested", authorizations=(), excerpt="Kind staff … 813-555-0147.",
                  flags=(PHONE, {"name": "insider", "detail": "works here", "spans": []}),
                  attribution="Patsy Rogers")
    reasons = publish_blockers(bad, NOW)
    assert len(reasons) == 5, reasons
    assert all(reason.fix for reason in reasons)
