import pytest

from pipeline.flags import contact_details, flags_for, language_guess, mismatch


def test_contact_details_found_with_spans():
    text = "Call 813-555-0147 or (813) 555 0199, or mail me: pat.r+clinic@example.com."
    found = {f["detail"]: [text[s:e] for s, e in f["spans"]] for f in contact_details(text)}
    assert found == {"phone": ["813-555-0147", "(813) 555 0199"], "email": ["pat.r+clinic@example.com"]}


def test_numbers_that_are_not_phones_are_left_alone():
    assert contact_details("I waited 45 minutes, paid $120 and rated it 10/10 in 2026.") == []


@pytest.mark.parametrize("rating, compound, expected", [
    (5, -0.8, ["mismatch"]), (1, 0.9, ["mismatch"]), (5, 0.9, []), (1, -0.6, []), (3, -0.9, []), (None, -0.9, []),
])
def test_mismatch(rating, compound, expected):
    assert [f["name"] for f in mismatch(rating, compound)] == expected


@pytest.mark.parametrize("text, language", [
    ("The staff were kind and the office was clean.", "en"),
    ("Terrible wait, rude desk.", "en"),
    ("Excelente atención. El personal es muy amable y la clínica está muy limpia.", "es"),
    ("Personale gentilissimo e studio molto pulito, lo consiglio a tutti.", "it"),
    ("ok", None),
])
def test_language_guess(text, language):
    assert language_guess(text) == language


def test_flags_for_combines_everything():
    flags, language = flags_for("Muy malo. Llame al 813-555-0147 por favor, nadie contesta.", 5, -0.7)
    assert {f["name"] for f in flags} == {"patient_detail", "mismatch", "non_english"} and language == "es"
