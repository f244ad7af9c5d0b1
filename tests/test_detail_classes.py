"""Classes of patient detail that planting into real text showed missing: names set off before a relative,
writers naming themselves, ages after a relative, record numbers under other names; staff named by role."""

from pathlib import Path

import pytest

from pipeline.judge.detectors.patient_details import find_patient_details

HOSPITAL = Path(__file__).resolve().parents[1].parent / "shared" / "realworld" / "hospital-reviews-bengaluru" / "hospital.csv"


def found(text: str) -> dict[str, list[str]]:
    """Kind -> the flagged substrings."""
    return {f["detail"]: [text[s:e] for s, e in f["spans"]] for f in find_patient_details(text)}


@pytest.mark.parametrize("text, names", [
    ("Ramesh, my daughter, was scared before the operation.", ["Ramesh"]),
    ("Mehmet Chen, my fiance, stayed two nights.", ["Mehmet Chen"]),
    ("Linda, my wife was treated well.", ["Linda"]),  # a census first name needs no closing comma
    ("This is Anjali C. writing on behalf of my dad.", ["Anjali C."]),
    ("The nurses were kind to my son (Oluwaseun Martinez) all week.", ["Oluwaseun Martinez"]),
    ("My sister's name is Ngozi, please check her file.", ["Ngozi"]),
])
def test_names_in_more_written_forms(text, names):
    assert found(text)["name"] == names


@pytest.mark.parametrize("text", [
    "Overall, my husband was happy with the care.",
    "Sadly, my mother, who was very ill, had to wait.",
    "Thanks, my wife and I will be back.",
    "This is Apollo, the best hospital.",
    "Nurses, particularly Teena, took great care of us.",
    "Aisha the customer care supervisor was fantastic.",
    "Mr Vishal from the International department was very helpful.",
    "Please beware of Mr Kesava head of billing.",
])
def test_openers_and_staff_named_by_role_are_not_patient_names(text):
    assert "name" not in found(text)


@pytest.mark.parametrize("text, ages", [
    ("My mother is 82.", ["82"]),
    ("Our son, 7, needed stitches and never cried.", ["7"]),
    ("My grandfather (91) had bypass surgery.", ["91"]),
    ("At 25, my son needed a knee replacement.", ["25"]),
])
def test_ages_after_a_relative(text, ages):
    assert found(text)["age"] == ages


@pytest.mark.parametrize("text", [
    "My son is 2 weeks post-op and doing well.",
    "At 9, we were seen by the doctor.",
    "My husband was 3rd in line.",
    "My wife paid 450.50 for the scan.",
])
def test_numbers_near_relatives_that_are_not_ages(text):
    assert "age" not in found(text)


@pytest.mark.parametrize("text, numbers", [
    ("UHID 0378878, please check.", ["0378878"]),
    ("My file number is A9547906.", ["A9547906"]),
    ("Bill no. 4411823 has charges I never had.", ["4411823"]),
    ("SSN 123-45-6789 was printed on the form.", ["123-45-6789"]),
])
def test_record_numbers_under_other_names(text, numbers):
    assert found(text)["record_number"] == numbers


@pytest.mark.skipif(not HOSPITAL.exists(), reason="../shared/realworld hospital reviews absent (a user's checkout)")
def test_planted_details_in_real_text_meet_the_targets():
    from bench.planted_details import KINDS, _recall, measure, real_texts, unplanted_share

    texts = real_texts()
    counts, _ = measure(texts, 60)
    assert all(_recall(counts, (kind,), ("dev", "holdout")) >= 0.95 for kind in KINDS)
    assert _recall(counts, KINDS, ("dev", "holdout")) >= 0.98
    assert unplanted_share(texts)[0] <= 0.02
