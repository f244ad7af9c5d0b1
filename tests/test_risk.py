"""Risk flags: crisis language, health claims, material connections, spam, profanity, machine-written text.

Every sentence here is synthetic. Tables pin what each rule must catch (with the exact span) and the
look-alikes it must leave alone.
"""

import json
from pathlib import Path

import pytest

from pipeline.judge.detectors.phrases import split_alternatives
from pipeline.judge.detectors.risk import BLOCKED_CLAIMS, CLINICIAN_CLAIMS, FLAG_NAMES, _collect, risk_flags

LABELLED = Path(__file__).resolve().parents[1] / "bench" / "data" / "risk_labelled.jsonl"


def found(text, **kwargs):
    """{(name, detail): [span texts]} for a text."""
    return {(f["name"], f["detail"]): [text[s:e] for s, e in f["spans"]] for f in risk_flags(text, **kwargs)}


def names(text, **kwargs):
    return {(f["name"], f["detail"]) for f in risk_flags(text, **kwargs)}


CRISIS = [
    ("Before my first infusion I was suicidal most days.", "suicide", ["suicidal"]),
    ("Two winters ago I wanted to end it all.", "suicide", ["wanted to end it all"]),
    ("Honestly I didn't want to be here anymore.", "suicide", ["didn't want to be here anymore"]),
    ("I did not want to live like that.", "suicide", ["did not want to live"]),
    ("Some nights I thought about killing myself.", "suicide", ["killing myself"]),
    ("I was ready to take my own life.", "suicide", ["take my own life"]),
    ("I wished I was dead most mornings.", "suicide", ["wished I was dead"]),
    ("The pain made me want to die.", "suicide", ["want to die"]),
    ("I felt my kids would be better off without me.", "suicide", ["better off without me"]),
    ("Life wasn't worth living back then.", "suicide", ["wasn't worth living"]),
    ("I had no reason to live.", "suicide", ["no reason to live"]),
    ("I couldn't go on like this anymore.", "suicide", ["couldn't go on like this"]),
    ("My dark thoughts scared me.", "suicide", ["dark thoughts"]),
    ("I kept thinking about ending my life.", "suicide", ["thinking about ending my life", "my life"]),
    ("I had thoughts of hurting myself.", "self_harm", ["hurting myself"]),
    ("I struggled with self-harm as a teen.", "self_harm", ["self-harm"]),
    ("I was cutting myself again.", "self_harm", ["cutting myself"]),
    ("I had started cutting again last year.", "self_harm", ["started cutting again"]),
    ("I OD'd on pills in 2021.", "overdose", ["OD'd"]),
    ("I od'd twice before this.", "overdose", ["od'd"]),
    ("After my overdose my family found them.", "overdose", ["overdose"]),
    ("I took a whole bottle of pills one night.", "overdose", ["took a whole bottle of pills"]),
    ("The paramedics gave me Narcan twice.", "overdose", ["Narcan"]),
    ("I saw no way out before this clinic.", "suicide", ["saw no way out"]),
    ("I didn't care if I lived or died.", "suicide", ["care if I lived or died"]),
    ("The thought of not waking up felt like relief.", "suicide", ["thought of not waking up"]),
    ("I used to cut, and the nurses never judged my scars.", "self_harm", ["used to cut"]),
]


@pytest.mark.parametrize("text, detail, spans", CRISIS)
def test_crisis_language_is_flagged_on_its_phrase(text, detail, spans):
    got = found(text)
    assert ("crisis", detail) in got
    assert sorted(got[("crisis", detail)]) == sorted(_merged(text, spans))


def _merged(text, phrases):
    """Expected span texts after overlapping ones merge (a phrase inside another disappears)."""
    spans = sorted((text.index(p), text.index(p) + len(p)) for p in phrases)
    merged = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return [text[s:e] for s, e in merged]


@pytest.mark.parametrize("text", [
    "Killer service and the coffee in the lobby is to die for!",
    "This wait is killing me, forty minutes past my slot again.",
    "My back was killing me when I walked in.",
    "The front desk team absolutely killed it.",
    "I was dying to try their evening hours.",
    "I hurt myself at work lifting boxes and the doctor explained my MRI.",
    "I accidentally cut myself on the clipboard, the nurse was sweet about it.",
    "Dead serious, the nicest receptionist in Tampa.",
    "They use cutting-edge equipment.",
    "I'm taking my life back one appointment at a time.",
    "They explained there is no risk of overdose with the dose they use.",
    "Dr. Odom and the ODT tablets, all explained clearly.",
    "I cut myself shaving before the visit.",
    "I did not want to go on the waitlist, so they squeezed me in.",
    "I didn't want to wake up early, so they gave me an afternoon slot.",
    "I'd be shooting myself in the foot if I went anywhere else.",
    "There was no way out of the parking garage, confusing signs.",
])
def test_idioms_and_injuries_are_not_crisis(text):
    assert not {n for n in names(text) if n[0] == "crisis"}


CLAIMS = [
    ("Ketamine cured my depression.", "cure", ["cured"]),
    ("I am completely off opioids now.", "cure", ["completely off opioids"]),
    ("I'm finally off all my meds.", "cure", ["finally off all my meds"]),
    ("No more cravings since my third session.", "cure", ["No more cravings"]),
    ("My migraines are gone for good.", "cure", ["gone for good"]),
    ("Dr. Ruiz fixed my depression.", "cure", ["fixed my depression"]),
    ("I feel completely healed.", "cure", ["completely healed"]),
    ("I no longer have PTSD.", "cure", ["no longer have PTSD"]),
    ("I stopped taking oxycodone within a month.", "cure", ["stopped taking oxycodone"]),
    ("I've been pain free for six months.", "cure", ["been pain free", "pain free for"]),
    ("I haven't had a migraine since March.", "cure", ["haven't had a migraine since"]),
    ("Better than any antidepressant I tried.", "comparative", ["Better than any antidepressant"]),
    ("This was the only thing that worked for my CRPS.", "comparative", ["only thing that worked"]),
    ("Better than any other clinic in Florida.", "comparative", ["Better than any other clinic"]),
    ("After everything else failed, I came here.", "comparative", ["everything else failed"]),
    ("Nothing else ever helped my fibromyalgia.", "comparative", ["Nothing else ever helped"]),
    ("The best treatment for depression out there.", "comparative", ["best treatment for"]),
    ("Spravato is far more effective than SSRIs.", "comparative", ["more effective than SSRIs", "more effective"]),
    ("No side effects at all.", "safety", ["No side effects"]),
    ("I never experienced any side effects.", "safety", ["never experienced any side effects"]),
    ("The treatment is completely safe.", "safety", ["The treatment is completely safe"]),
    ("Risk-free and relaxing.", "safety", ["Risk-free"]),
    ("I had zero withdrawal.", "safety", ["zero withdrawal"]),
    ("Ketamine is non-addictive the way they dose it.", "safety", ["non-addictive"]),
    ("Safe and effective, friendly staff.", "safety", ["Safe and effective"]),
    ("My pain went from a 9 to a 2.", "outcome", ["pain went from a 9 to a 2"]),
    ("Within a week the depression lifted.", "outcome", ["depression lifted"]),
    ("I can walk again without my cane.", "outcome", ["can walk again"]),
    ("I'm sleeping through the night.", "outcome", ["sleeping through the night"]),
    ("This clinic saved my life.", "outcome", ["saved my life"]),
    ("The infusions really helped my anxiety.", "outcome", ["infusions really helped"]),
    ("I got my life back.", "outcome", ["got my life back"]),
    ("I finally feel like myself again.", "outcome", ["finally feel like myself again"]),
    ("My neuropathy pain is 70% better.", "outcome", ["70% better"]),
    ("I felt so much better after just one infusion.", "outcome", ["felt so much better",
                                                                     "after just one infusion"]),
    ("The injections gave me real relief from sciatica.", "outcome", ["gave me real relief from sciatica"]),
    ("I haven't touched a pain pill in eight months.", "cure", ["haven't touched a pain pill"]),
    ("Honestly this works better than the Lexapro ever did.", "comparative", ["works better than"]),
    ("My fibromyalgia flare-ups have all but disappeared.", "outcome", ["flare-ups have all but disappeared"]),
    ("She said there is no chance of an overdose here.", "safety", ["no chance of an overdose"]),
]


@pytest.mark.parametrize("text, detail, spans", CLAIMS)
def test_health_claims_are_flagged_on_the_claim(text, detail, spans):
    got = found(text)
    assert ("health_claim", detail) in got
    assert got[("health_claim", detail)] == _merged(text, spans)


@pytest.mark.parametrize("text", [
    "Best staff ever, they remember your name every visit.",
    "The pain clinic staff are friendly and the parking is easy.",
    "Clean office, short wait, and the nurses explain everything.",
    "Dr. Gomez explained the risks and possible side effects before we started.",
    "I felt completely safe and cared for the whole time.",
    "The staff made me feel very safe.",
    "Best clinic experience I have had, the front desk is amazing.",
    "The staff helped me sort out my insurance, such a relief.",
    "Killer parking spot right by the door.",
    "They were better than the last office at returning calls.",
    "The new secure portal makes refills easy, and the garden is manicured.",
    "I came in for chronic pain and the team made me feel heard.",
    "The receptionist is a lifesaver with paperwork.",
    "Free parking and the treatment room was warm.",
    "The injection was quick and the nurse was kind.",
    "My pain has not improved yet but the staff are patient with me.",
    "They take my insurance, which is a huge relief.",
    "It was safe to leave my car in their lot overnight.",
    "They do not promise a cure, which I respect.",
    "Very safe environment, the nurses check vitals constantly.",
    "I stopped taking my gabapentin before the infusion as instructed.",
    "No withdrawal symptoms were explained to me, which was disappointing.",
    "The treatment helped me understand my options.",
])
def test_care_experience_is_not_a_claim(text):
    assert not {n for n in names(text) if n[0] == "health_claim"}


def test_default_claim_policy_blocks_cure_comparative_safety_and_sends_outcomes_to_a_clinician():
    assert BLOCKED_CLAIMS == {"cure", "comparative", "safety"}
    assert CLINICIAN_CLAIMS == {"outcome"}


SPAM = [
    ("Book at www.cheap-deals.com today.", "link", ["www.cheap-deals.com"]),
    ("More here https://bit.ly/3xYz9 thanks", "link", ["https://bit.ly/3xYz9"]),
    ("I found them on psychologytoday.com and glad I did.", "link", ["psychologytoday.com"]),
    ("Visit our website and use promo code HEAL20.", "promotional", ["Visit our website", "promo code"]),
    ("We sell backlinks, DM me.", "promotional", ["backlinks", "DM me"]),
    ("Earn $500 a day, click here.", "promotional", ["Earn $500 a day", "click here"]),
    ("Ketamine clinic near me, best infusion near me.", "promotional", ["near me", "near me"]),
    ("good good good good good good", "repetitive", ["good good good good good good"]),
    ("best clinic ever best clinic ever best clinic ever", "repetitive",
     ["best clinic ever best clinic ever best clinic ever"]),
    ("Amazing!!!!!!!!!!!!!!!!!!!!", "repetitive", ["!!!!!!!!!!!!!!!!!!!!"]),
]


@pytest.mark.parametrize("text, detail, spans", SPAM)
def test_spam(text, detail, spans):
    assert found(text)[("spam", detail)] == spans


@pytest.mark.parametrize("text", [
    "The staff were sooo nice and the place is super clean!!!!!!!!!!!! Best clinic in town.",
    "Very very very kind nurses.",
    "Thank you thank you thank you to the whole team for taking such good care of me.",
    "I saw Dr. Smith at 9 a.m. and left by 10, e.g. no fuss.",
    "My email is pat@example.com if anyone has questions.",
    "The clinic is near me, which helps.",
    "They told me to call them anytime and they pick up.",
    "Great staff.Co-pay was reasonable.",
])
def test_enthusiasm_and_contact_details_are_not_spam(text):
    assert not {n for n in names(text) if n[0] == "spam"}


@pytest.mark.parametrize("text, span", [
    ("The front desk was so fucking rude.", "fucking"),
    ("Total bullshit billing.", "bullshit"),
    ("What a sh*t show.", "sh*t"),
    ("The f***ing parking lot.", "f***ing"),
    ("The manager was an a**hole.", "a**hole"),
    ("Pure $hit service.", "$hit"),
    ("WTF is this wait.", "WTF"),
])
def test_profanity_and_its_obfuscations(text, span):
    assert found(text)[("profanity", "profanity")] == [span]


@pytest.mark.parametrize("text", [
    "Scunthorpe transplant here, the assessment was painless.",
    "A classic, passionate practice with a cocktail of options.",
    "They recommended a shiitake soup place nearby.",
    "Dr. Dick Harrison was thorough.",
    "The needle was just a tiny prick.",
    "The assistant passed my file to the class of residents.",
    "Damn good care, hell of a team.",
])
def test_scunthorpe_and_mild_words_are_not_profanity(text):
    assert not {n for n in names(text) if n[0] == "profanity"}


@pytest.mark.parametrize("text, detail, span", [
    ("Full disclosure: I'm on staff here, but I love it.", "employee", "I'm on staff"),
    ("I work here and the doctors truly care.", "employee", "I work here"),
    ("As an employee I see the effort.", "employee", "As an employee"),
    ("Our patients always feel welcome.", "employee", "Our patients"),
    ("My wife is the doctor here so I may be biased.", "relative", "My wife is the doctor"),
    ("Full disclosure: my sister is the office manager.", "relative", "my sister is the office manager"),
    ("Dr. Ruiz is my cousin, and still the best.", "relative", "Dr. Ruiz is my cousin"),
    ("I am the owner of this clinic.", "owner", "I am the owner"),
    ("Disclaimer: I'm the office manager's husband.", "relative", "I'm the office manager's husband"),
])
def test_insider_language(text, detail, span):
    assert found(text)[("insider", detail)] == [span]


@pytest.mark.parametrize("author, staff", [
    ("Dana Whitfield", ["Dr. Dana Whitfield, MD", "Luis Ortega RN"]),
    ("luis ortega", ["Dr. Dana Whitfield, MD", "Luis Ortega RN"]),
    ("Ortega, Luis", ["Dana Whitfield", "Luis Ortega"]),
    ("Dana M. Whitfield", ["Dana Whitfield"]),
    ("Dana W.", ["Dana Whitfield"]),
    ("José Núñez", ["Jose Nunez"]),
    ("Linh Do", ["Dr. Linh Do, DO"]),
])
def test_author_on_the_staff_roster_is_an_insider(author, staff):
    flags = risk_flags("Great place, wonderful team.", author=author, staff_names=staff)
    assert {"name": "insider", "detail": "staff_author", "spans": []} in flags


@pytest.mark.parametrize("author, staff", [
    ("Dana Smith", ["Dana Whitfield"]),
    ("Dana", ["Dana Whitfield"]),
    (None, ["Dana Whitfield"]),
    ("Dana Whitfield", []),
    ("Maria", ["Maria"]),
    ("Linh Do", ["Linh Nguyen"]),
])
def test_other_authors_are_not_insiders(author, staff):
    assert not risk_flags("Great place, wonderful team.", author=author, staff_names=staff)


@pytest.mark.parametrize("text", [
    "Luis Ortega RN was the best nurse I ever had.",
    "My wife is a nurse and she was impressed by how clean it is.",
    "My husband came with me and sat in the room.",
    "I used to work in healthcare, and this is a well run clinic.",
    "I felt like part of the family here.",
])
def test_patients_naming_staff_or_family_are_not_insiders(text):
    assert not {n for n in names(text, staff_names=["Luis Ortega"]) if n[0] == "insider"}


@pytest.mark.parametrize("text, detail", [
    ("I got a free session for this review but the staff are great.", "free_care"),
    ("They gave me a $25 gift card for leaving a review.", "gift"),
    ("I wrote this in exchange for a discount on my next visit.", "discount"),
    ("Got 10% off my next infusion for writing a Google review.", "discount"),
    ("Entered into a raffle for leaving a review.", "raffle"),
    ("They paid me $50 to post a five star review.", "payment"),
    ("Leave a review and get a free follow-up visit!", "free_care"),
    ("This is a sponsored review.", "incentive"),
    ("Every review enters you into a monthly drawing for a free infusion.", "raffle"),
    ("They knock 15% off your next visit if you post a review.", "discount"),
])
def test_incentivized_reviews_name_the_reward(text, detail):
    assert ("incentivized", detail) in names(text)


@pytest.mark.parametrize("text", [
    "I read the reviews before booking and got a discount for paying cash.",
    "No one asked me to write this review.",
    "They offer a discount for paying cash.",
    "They emailed a survey after my visit.",
    "I got a coupon in the mail after my visit, unrelated to reviews.",
])
def test_reviews_without_a_reward_for_reviewing_are_not_incentivized(text):
    assert not {n for n in names(text) if n[0] == "incentivized"}


@pytest.mark.parametrize("text", [
    "As an AI language model, I cannot visit clinics, but the staff are friendly.",
    "I highly recommend [Clinic Name] to anyone. Dr. [Doctor's Name] was attentive.",
    "Certainly! Here is a positive review for the clinic: the staff were welcoming.",
    "I'm sorry, but I can't assist with writing fake reviews.",
    "The team's unwavering dedication is a testament to their care. Let me delve into it. In conclusion, "
    "excellent.",
    "**Staff:** Friendly.\n**Overall:** It's worth noting that they delve into every concern. In conclusion, "
    "recommended.",
])
def test_machine_written_reviews_are_suspicious(text):
    assert ("suspicious", "machine_written") in names(text)


@pytest.mark.parametrize("text", [
    "Overall, my experience was great and I cannot recommend them enough.",
    "The doctor is meticulous and the staff are wonderful. Furthermore, parking is easy.",
    "Their care is a testament to how much they love what they do.",
    "I cannot say enough good things about this team. In conclusion: go here!",
    "I'm sorry but I can't recommend this place, the wait was two hours.",
    "Pros: friendly nurses, clean rooms. Cons: parking is tight.",
])
def test_human_reviews_with_a_marker_or_two_are_not_suspicious(text):
    assert ("suspicious", "machine_written") not in names(text)


def test_machine_written_spans_show_the_markers():
    text = "A testament to care. We delve deep. In conclusion, great."
    assert found(text)[("suspicious", "machine_written")] == ["testament to", "delve", "In conclusion"]


def test_flag_records_have_name_detail_and_list_spans_in_order():
    text = "Fucking great: my pain went from 8 to 1, no side effects, and I was suicidal before."
    flags = risk_flags(text)
    assert [f["name"] for f in flags] == ["crisis", "health_claim", "health_claim", "profanity"]
    assert [f["detail"] for f in flags] == ["suicide", "safety", "outcome", "profanity"]
    start = text.index("suicidal")
    assert flags[0] == {"name": "crisis", "detail": "suicide", "spans": [[start, start + len("suicidal")]]}
    assert all(list(f) == ["name", "detail", "spans"] for f in flags)
    assert [f["name"] for f in flags] == sorted((f["name"] for f in flags), key=FLAG_NAMES.index)


def test_spans_stay_on_the_original_text_with_curly_quotes_and_wide_lowercase():
    text = "İstanbul trip aside, I didn’t want to live anymore."
    assert found(text)[("crisis", "suicide")] == ["didn’t want to live"]


def test_empty_text_has_no_flags():
    assert risk_flags("") == []
    assert risk_flags("", author="Dana Whitfield", staff_names=["Dana Whitfield"]) == [
        {"name": "insider", "detail": "staff_author", "spans": []}]


def test_staff_names_may_be_any_iterable():
    assert risk_flags("Nice.", author="Dana Whitfield", staff_names=(n for n in ["Dana Whitfield"]))


def _all_examples():
    tables = [row[0] for table in (CRISIS, CLAIMS, SPAM) for row in table]
    bench = [json.loads(line)["text"] for line in LABELLED.read_text().splitlines()]
    return tables + bench


def test_gate_words_never_hide_a_match():
    # Every rule must name, among its gate words, a word that any text it matches contains.
    for text in _all_examples():
        assert risk_flags(text) == _collect(text, None, (), gated=False), text


def test_split_alternatives_ignores_bars_inside_groups_and_classes():
    assert split_alternatives(r"\ba(?:b|c)|[|]d|e\|f") == [r"\ba(?:b|c)", "[|]d", r"e\|f"]
