from hypothesis import given
from hypothesis import strategies as st

from pipeline.judge.scoring import score_record
from pipeline.publish.quotes import FALLBACK_ATTRIBUTION, attribution, is_deletion, join_spans, suggest_excerpt

TEXT = ("The front desk was rude at first. Dr. Lee was wonderful and kind! Call me at 813-555-0147 to ask. "
        "Amazing staff, clean office.\nBut parking is hard.")


def test_suggestion_picks_positive_sentences_and_avoids_flagged_spans():
    scored = score_record(TEXT, 5)
    excerpt = suggest_excerpt(TEXT, scored.sentences, scored.flags, 240)
    assert excerpt == "Dr. Lee was wonderful and kind! … Amazing staff, clean office."
    assert "813" not in excerpt and "rude" not in excerpt and is_deletion(TEXT, excerpt)


def test_suggestion_respects_length_bound():
    scored = score_record(TEXT, 5)
    excerpt = suggest_excerpt(TEXT, scored.sentences, scored.flags, 40)
    assert excerpt is not None and len(excerpt) <= 40


def test_no_suggestion_without_positive_sentences():
    text = "Waited two hours. Nobody called back."
    scored = score_record(text)
    assert suggest_excerpt(text, scored.sentences, scored.flags) is None


def test_dependent_sentences_are_not_quoted_alone():
    text = "The clinic was fine. But the nurses were wonderful and kind!"
    scored = score_record(text)
    assert suggest_excerpt(text, scored.sentences, scored.flags) is None


def test_is_deletion_accepts_marked_gaps_only():
    original = "Dr. Lee was not rude at all. The staff were kind."
    assert is_deletion(original, "Dr. Lee was not rude at all.")
    assert is_deletion(original, "Dr. Lee … The staff were kind.")
    assert not is_deletion(original, "Dr. Lee was rude at all.")  # an unmarked deletion flips the meaning
    assert not is_deletion(original, "The staff were kind. … Dr. Lee")  # order changed
    assert not is_deletion(original, "The staff were very kind.")  # an insertion
    assert not is_deletion(original, " … ")


def test_is_deletion_tolerates_line_breaks_between_sentences():
    assert is_deletion("Kind staff.\n\nClean rooms.", "Kind staff. Clean rooms.")


@given(st.text(alphabet="abc .!", min_size=1, max_size=60), st.data())
def test_joined_spans_are_always_deletions(text, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=6, unique=True)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if any(ch.isalnum() for ch in text[a:b])]
    if spans:
        assert is_deletion(text, join_spans(text, spans))


def test_attribution_forms():
    assert attribution("Patsy Rogers") == "Patsy R."
    assert attribution("patsy rogers") == "Patsy R."
    assert attribution("Mary-Jane O'Neil") == "Mary-Jane O."
    assert attribution("Cher") == "Cher"
    for handle in ("ellisonsusan80", "", None, "a b c d e", "<b>x</b>", "J"):
        assert attribution(handle) == FALLBACK_ATTRIBUTION
