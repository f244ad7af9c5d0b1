import pytest

from pipeline.judge.flags import flags_for, language_guess, mismatch


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


def test_flags_for_combines_every_detector():
    text = "Muy malo. Llame al 813-555-0147 por favor, nadie contesta."
    flags, language = flags_for(text, 5, -0.7)
    assert {f["name"] for f in flags} == {"patient_detail", "mismatch", "non_english"} and language == "es"
    phone = next(f for f in flags if f["name"] == "patient_detail")
    assert [text[s:e] for s, e in phone["spans"]] == ["813-555-0147"]


def test_flags_for_passes_staff_names_and_author():
    text = "Dr. Alvarez was wonderful. I work here, so full disclosure. Visit www.example.com for deals!"
    names = {f["name"] for f in flags_for(text, 5, 0.8, "Dana Wells", ("Dana Wells", "Dr. Alvarez"))[0]}
    assert "insider" in names and "spam" in names and "patient_detail" not in names


def test_ascii_words_tokenise_as_the_word_regex():
    import random
    import string

    from pipeline.judge.flags import _ascii_words
    from pipeline.text import words

    rng = random.Random(12)
    alphabet = string.printable + "''''"
    texts = ["don't stop 'til rock'n'roll ''a b'' it's_ ok 4'5", "", "'", "a.b,c;d-e_f"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))).lower() for _ in range(3000)]
    for text in texts:
        assert _ascii_words(text) == words(text), text
