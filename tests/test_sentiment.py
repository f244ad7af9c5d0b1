import pytest

from pipeline.judge.scoring import score_record, score_rows, scoring_pool
from pipeline.judge.sentiment import score_text, score_whole


@pytest.mark.parametrize("text", [
    "The staff were wonderful and kind! I felt heard.",
    "Terrible. Rude front desk. Waited 2 hours.",
    "Okay visit. Parking was hard but the nurse was lovely.",
])
def test_sentence_scoring_tracks_whole_text_vader(text):
    assert score_text(text).compound == pytest.approx(score_whole(text), abs=0.1)


def test_sentence_spans_cover_the_sentences():
    text = "Great doctor. Awful parking!"
    scores = score_text(text).sentences
    assert [text[s:e] for s, e, _ in scores] == ["Great doctor.", "Awful parking!"]
    assert scores[0][2] > 0 > scores[1][2]


def test_empty_text_scores_zero():
    assert score_text("").compound == 0.0 and score_text("").sentences == ()


def test_rating_does_not_change_the_score():
    text = "The visit was fine."
    assert score_record(text, 1).compound == score_record(text, 5).compound


def test_process_pool_gives_the_same_scores():
    rows = [{"id": str(i), "text": f"Visit {i}: the staff were kind and the wait was short.", "rating": 5}
            for i in range(600)] + [{"id": "purged", "text": None, "rating": 4}]
    pool = scoring_pool(2)
    try:
        pooled = score_rows(rows, pool)
    finally:
        pool.shutdown()
    assert pooled == score_rows(rows, None)
    assert pooled[-1] == ("purged", None, "[]", "[]", None, None, None)


def test_sentences_without_lexicon_words_skip_vader_with_identical_scores(monkeypatch):
    from pipeline.judge import sentiment

    texts = ["I came in on Tuesday. Parking is behind the building.", "Hey :) thanks!! <3", "no", "Not bad at all.",
             "kind of meh", "The room number was 12B. Yeah right.", ":-( sad", "Café was closed. My pain is gone."]
    fast = [sentiment.score_text(t) for t in texts]
    monkeypatch.setattr(sentiment, "_without_sentiment_words", lambda sentence, lexicon: False)
    assert fast == [sentiment.score_text(t) for t in texts]
    assert fast[0].sentences[0][2] == 0.0 and fast[1].compound > 0


def test_remembered_sentences_follow_the_rules_in_use():
    from pipeline.judge import sentiment
    from pipeline.judge.clinic_lexicon import default_rules
    from pipeline.judge.clinic_rules import merge_rules

    sentence = "The infusion nurse was great."
    before = score_text(sentence).compound
    sentiment.configure(merge_rules(default_rules(), {"lexicon": {"great": -2.0}}))
    try:
        assert score_text(sentence).compound < 0 < before
    finally:
        sentiment.configure(None)
    assert score_text(sentence).compound == before
