"""Pharmacy and sales spam: the class is flagged `spam`, look-alike patient reviews are not, it is never
suggested and none of its sentences is ever part of an excerpt."""

import pytest

from bench.spam_set import judge, load, precision_recall
from pipeline.judge.detectors.risk import _collect, risk_flags
from pipeline.judge.scoring import score_record
from pipeline.publish.quotes import suggest_excerpt
from pipeline.publish.suggest import eligible
from pipeline.settings import load_settings

SPAM = [
    ("No prescription needed, discreet delivery, 10% discount. WhatsApp only: +1 (213) 555-0187, Wickr or Kik: "
     "medsplug", "pharmacy"),
    ("Pills for sale: Xanax, Valium, Oxy, Percs. DM me on Telegram @pillplug", "pharmacy"),
    ("Buy Tramadol 100mg online without prescription at the lowest prices.", "pharmacy"),
    ("Thanks to my supplier who delivers Percocet discreetly! Contact him on kik: percsplug", "pharmacy"),
    ("Available now: Dilaudid, Opana, Oxycodone, Roxicodone. WhatsApp: +1 (786) 555-0192", "pharmacy"),
    ("Best CBD gummies! 30% discount with code HEAL30. Order now on WhatsApp +1 718 555 0109", "sales"),
    ("We sell verified Google reviews. Signal: +1 202 555 0103, bulk discounts.", "sales"),
    ("Need a doctor's note for work? Instant, discreet, cheap. Telegram @notesfast.", "sales"),
]

LEGIT = [
    "The ketamine infusion costs $450 per session, which my insurance did not cover, but it was worth it.",
    "The nurse texted me on WhatsApp with my lab results, which was very convenient.",
    "No prescription changes were needed after my follow up.",
    "They offer a 10% discount if you pay cash on the day, which helped a lot.",
    "I was taking Percocet, Norco and Dilaudid when I first came here. Now I only take ibuprofen.",
    "They sent my prescription to a mail order pharmacy so it arrives discreetly at home.",
    "They gave me a discount code for the pharmacy next door, which knocked 15% off my medicine.",
    "They use Signal and WhatsApp for quick questions, which my dad finds easy.",
    "Delivery of my daughter was smooth and the nurses called my family with updates.",
    "Generic Xanax was cheap at the pharmacy downstairs, and the doctor called to check on me.",
]


def spam_details(text: str) -> list[str]:
    """Details of the spam flags other than links."""
    return [f["detail"] for f in risk_flags(text) if f["name"] == "spam" and f["detail"] != "link"]


@pytest.mark.parametrize("text, detail", SPAM)
def test_pharmacy_and_sales_spam_is_flagged(text, detail):
    assert detail in spam_details(text)


@pytest.mark.parametrize("text", LEGIT)
def test_patients_mentioning_prices_calls_messengers_and_drugs_are_not_spam(text):
    assert spam_details(text) == []


@pytest.mark.parametrize("text", [t for t, _ in SPAM] + LEGIT)
def test_gate_words_never_hide_a_sales_cue(text):
    assert risk_flags(text) == _collect(text, None, (), gated=False)


def test_a_five_star_pharmacy_post_is_never_suggested_and_its_sentences_never_quoted():
    text = ("Dr. Lee is wonderful and the staff are so kind. Need Oxycodone without a prescription? Discreet "
            "delivery, order now. WhatsApp +1 404 555 0112.")
    scored = score_record(text, 5)
    row = {"compound": scored.compound, "rating": 5, "flags": scored.flags}
    assert scored.compound >= 0.5  # positive enough to be suggested if it were not spam
    assert not eligible(row, load_settings(None, env={}))
    excerpt = suggest_excerpt(text, scored.sentences, scored.flags)
    assert excerpt == "Dr. Lee is wonderful and the staff are so kind."


def test_the_spam_set_meets_its_bar():
    rows = load()
    judge(rows)
    precision, recall = precision_recall(rows)
    assert precision >= 0.95 and recall >= 0.9
    assert not any(r["suggested"] for r in rows if r["spam"])
