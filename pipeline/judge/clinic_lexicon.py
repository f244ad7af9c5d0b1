"""The clinic tuning for VADER, as data: the default lexicon adjustments and symptom vocabulary, with the phrase
rules of `pipeline.judge.clinic_phrases`.

Plain VADER reads illness words as judgements of the care: "My pain is gone." scores about -0.5. The default
set below follows three ideas, none fitted to a data set:

- Words that name the illness (cancer, depression, emergency) are neutral; words for symptoms a patient feels
  (pain, nausea, cravings) are mildly negative, so they still read as negative when they last or get worse.
- Phrase rules read what happens to a symptom: relieved, gone, negated ("no more pain", "pain-free") or
  caused and worsened ("gave me headaches", "made my nausea worse"). Side effects are mildly negative.
- A few care words VADER lacks ("helped", "negligence", "listened to me").

How phrase rules are written and applied is described in `pipeline.judge.clinic_phrases`.

A practice's own rules (setting `sentiment_rules`) are merged over these by `pipeline.judge.clinic_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.judge.clinic_phrases import PHRASES, SYMPTOM

__all__ = ["LEXICON", "PHRASES", "SYMPTOM", "SYMPTOMS", "ClinicRules", "PhraseRule", "default_rules"]

# What patients have, feel or are treated for, including side effects: the subjects of relief and worsening.
SYMPTOMS: tuple[str, ...] = (
    # pain
    "pain", "pains", "ache", "aches", "aching", "backache", "headache", "headaches", "migraine", "migraines",
    "soreness", "stiffness", "cramps", "cramping", "spasms", "sciatica", "neuropathy", "fibromyalgia",
    "arthritis", "crps", "inflammation", "swelling", "numbness", "tingling", "discomfort", "tenderness",
    "suffering", "symptom", "symptoms",
    # mental health
    "anxiety", "depression", "ptsd", "ocd", "panic attacks", "panic", "stress", "insomnia", "nightmares",
    "flashbacks", "suicidal thoughts", "dark thoughts", "intrusive thoughts", "racing thoughts",
    "mood swings", "brain fog", "fog", "irritability", "agitation", "sadness", "hopelessness", "despair",
    "grief", "trauma", "worry", "worries", "fear", "fears",
    # addiction
    "cravings", "craving", "urges", "withdrawal", "withdrawals", "addiction",
    # bodily symptoms and side effects
    "nausea", "vomiting", "dizziness", "vertigo", "fatigue", "tiredness", "drowsiness", "sleepiness",
    "seizures", "tremors", "diarrhea", "constipation", "bloating", "heartburn", "reflux", "rash", "itching",
    "acne", "hot flashes", "night sweats", "sweating", "weight gain", "hair loss", "dry mouth",
    "palpitations", "cough", "fever", "congestion", "allergies", "bleeding", "infection",
    # the same, said of oneself ("made me dizzy")
    "dizzy", "nauseous", "nauseated", "drowsy", "sleepy", "groggy", "jittery", "sick", "depressed", "anxious",
    "suicidal", "numb", "foggy", "agitated", "irritable", "restless", "shaky", "lightheaded", "exhausted",
)

# word -> valence on VADER's scale; 0 removes the word from VADER's lexicon (an ordinary word again).
LEXICON: dict[str, float] = {
    # Names of the illness or of the setting: why the patient came, not how they were treated.
    **dict.fromkeys(("cancer", "tumor", "tumour", "illness", "injury", "accident", "trauma", "depression",
                     "anxiety", "disorder", "emergency", "disease"), 0.0),
    "critical": -0.3, "injured": -0.3, "fatigue": -0.3, "withdrawal": 0.0,
    # Symptoms felt: mildly negative (VADER: -1.5 to -2.7) so "still in pain" stays negative.
    "pain": -0.5, "pains": -0.5, "ache": -0.5, "aches": -0.4, "aching": -0.5, "sore": -0.5, "painful": -1.0,
    "hurt": -1.0, "hurts": -0.8, "hurting": -0.8, "sick": -1.0, "ill": -0.5, "suffer": -1.0,
    "suffered": -1.0, "suffering": -0.8, "depressed": -0.8, "anxious": -0.5, "stress": -0.5,
    "stressed": -0.5, "panic": -0.8, "dizzy": -0.5, "numbness": -0.3, "rash": -0.5, "weakness": -0.5,
    "excruciating": -1.0, "agony": -1.0, "suicidal": -1.0, "suicide": -1.0,
    # Symptoms and side effects VADER does not know: mildly negative, as above.
    **dict.fromkeys(("nausea", "nauseous", "nauseated", "vomiting", "insomnia", "migraine", "migraines",
                     "headache", "headaches", "dizziness", "vertigo", "drowsiness", "drowsy", "groggy",
                     "jittery", "seizures", "tremors", "diarrhea", "constipation", "cravings", "craving",
                     "palpitations", "fever", "sciatica", "neuropathy", "stiffness", "swelling"), -0.5),
    # "care" is the service itself in reviews (VADER reads the verb, +2.2); its quality comes from adjectives.
    "care": 0.8,
    # Outcome and care words VADER lacks.
    "helped": 1.5, "healed": 1.5, "cured": 1.5, "recovered": 1.2, "manageable": 0.8, "bearable": 0.5,
    "life-changing": 2.5, "lifechanging": 2.5, "attentive": 1.8, "knowledgeable": 1.5, "thorough": 1.5,
    "polite": 1.8, "professional": 1.2, "empathetic": 2.0, "hygienic": 1.2, "informative": 1.2,
    "listened": 1.0, "punctual": 1.0, "negligence": -2.5, "negligent": -2.5, "unhygienic": -2.0,
    "unsanitary": -2.0, "unhelpful": -1.8, "misdiagnosed": -2.0, "misdiagnosis": -2.0, "overcharged": -2.0,
    "overcharging": -2.0, "overpriced": -1.5, "dismissive": -1.8, "condescending": -1.8,
    "unresponsive": -1.5, "understaffed": -1.2, "disorganized": -1.5, "disorganised": -1.5,
    "inattentive": -1.5, "uncooperative": -1.5, "untrained": -1.5, "inexperienced": -1.2,
    "unattended": -1.5, "mismanagement": -2.0, "mismanaged": -2.0, "corrupt": -2.0, "loot": -2.0,
    "looted": -2.0, "looting": -2.0, "expensive": -1.0, "pricey": -0.8, "exorbitant": -2.0, "crowded": -0.8,
    "overcrowded": -1.2, "delays": -1.3, "hassle": -1.0, "smooth": 1.0, "tidy": 1.2,
    # Drug-review words for feeling drugged.
    "zombie": -1.5, "zombified": -1.5, "zombie-like": -1.5, "sedated": -0.5,
    # Fear and worry are mostly how patients felt before the care ("I was nervous before my first infusion"):
    # mildly negative, like symptoms (VADER: -1.1 to -3.0). Being admitted is a step of care, not a verdict.
    "nervous": -0.5, "scared": -0.6, "worried": -0.5, "worry": -0.5, "worries": -0.5, "fear": -0.8,
    "feared": -0.8, "fears": -0.8, "frightened": -0.8, "terrified": -1.0, "afraid": -0.5, "admitted": 0.0,
    "vomited": -0.5, "fainted": -0.5,
    # Verdicts and warnings VADER lacks.
    "nightmare": -2.0, "beware": -1.5,
    # How patients felt before the care, like fear above: mildly negative (VADER: -1.0 to -2.0).
    "hopeless": -0.8, "helpless": -0.8, "desperate": -0.5, "skeptical": -0.3, "sceptical": -0.3,
    "hesitant": -0.3,
}


@dataclass(frozen=True)
class PhraseRule:
    """A phrase rule: each match of `pattern` counts as one word of `valence`."""

    name: str
    pattern: str
    valence: float
    enabled: bool = True


@dataclass(frozen=True)
class ClinicRules:
    """Lexicon adjustments, phrase rules in priority order, and the symptom vocabulary."""

    lexicon: dict[str, float] = field(default_factory=dict)
    phrases: tuple[PhraseRule, ...] = ()
    symptoms: tuple[str, ...] = ()


def default_rules() -> ClinicRules:
    """The documented default set."""
    phrases = tuple(PhraseRule(name, pattern, valence) for name, valence, pattern in PHRASES)
    return ClinicRules(dict(LEXICON), phrases, SYMPTOMS)
