"""Patient details in review text: each kind, staff exclusion, numbers that are not details, exact spans."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.patient_details import (
    STAFF_NAMES,
    detector,
    from_marked,
    load_labelled,
    overall,
    precision_recall,
    score,
    to_marked,
)
from pipeline.judge.detectors.patient_details import KINDS, find_patient_details
from pipeline.judge.scoring import score_record
from pipeline.publish.quotes import suggest_excerpt

STAFF = ("Dr. Maria Alvarez", "Kim Nguyen, RN", "Jessica", "Carlos Rivera, PA-C")


def found(text: str, staff=STAFF) -> dict[str, list[str]]:
    """Kind -> the flagged substrings."""
    return {f["detail"]: [text[s:e] for s, e in f["spans"]] for f in find_patient_details(text, staff)}


@pytest.mark.parametrize("text, names", [
    ("My husband John drove me to every visit.", ["John"]),
    ("I brought my daughter, Emily, to translate.", ["Emily"]),
    ("My kids Ava and Liam waited in the lobby.", ["Ava", "Liam"]),
    ("my wife linda found this place", ["linda"]),
    ("My name is Patricia Owens and I recommend them.", ["Patricia Owens"]),
    ("Mrs. Ortiz from the waiting room told me about them.", ["Ortiz"]),
    ("Gloria and I have been coming here for years.", ["Gloria"]),
    ("Linda's husband recommended this office.", ["Linda"]),
    ("Thank you all.\n- Robert T.", ["Robert T."]),
    ("Sincerely, Maria Gonzalez", ["Maria Gonzalez"]),
    ("thanks from bob and carol", ["bob", "carol"]),
])
def test_patient_names_are_found(text, names):
    assert found(text)["name"] == names


@pytest.mark.parametrize("text", [
    "Dr. Alvarez and Nurse Kim were wonderful.",
    "Jessica at the front desk is so sweet. Thanks Jessica!",
    "Carlos Rivera explained everything. Carlos is the best PA.",
    "Brittany at the front desk fixed my insurance.",
    "Our MA Luis took my vitals. The tech, Shawn, was careful.",
    "Tanya Brooks, NP, reviewed my records.",
    "Maria is amazing. Dr. Alvarez that is!",
    "Dr. Shabeer Ahmed did my procedure.",
])
def test_staff_names_are_not_patient_details(text):
    assert "name" not in found(text)


def test_a_relative_sharing_a_staff_name_is_still_flagged():
    assert found("My daughter Jessica drove me, not the Jessica who works here.")["name"] == ["Jessica"]


@pytest.mark.parametrize("seed", ["0", "2", "3"])
def test_a_listed_first_name_and_surname_are_one_name_whatever_the_hash_seed(seed):
    # The census names of a review were read in set order, so "Lee" alone or "Sandra Lee" came out depending on
    # Python's hash seed (found pinning the judgements for issue 12).
    code = ("from pipeline.judge.detectors.patient_details import find_patient_details as f;"
            "print(f('I met Sandra Lee in the waiting room.')[0]['spans'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": seed}, cwd=Path(__file__).parents[1]).stdout
    assert out.strip() == "[[6, 16]]"


def test_staff_list_matters():
    text = "Denise sorted out my claim in one call."
    assert found(text, staff=())["name"] == ["Denise"]
    assert "name" not in found(text, staff=("Denise",))


@pytest.mark.parametrize("text", [
    "Hope this helps. Will definitely be back. May God bless this team.",
    "Grateful for the care in Wesley Chapel and Lake Mary, and the visit on Jan 5.",
    "The office on Dale Mabry is easy to find. Don't miss the parking garage.",
    "Florida Blue approved it in 2 weeks. Brandon office is new.",
])
def test_words_and_places_on_the_name_list_are_not_names(text):
    assert "name" not in found(text)


@pytest.mark.parametrize("text, phones", [
    ("Call me at 813-555-0142 anytime.", ["813-555-0142"]),
    ("Text me, (727) 555-0198.", ["(727) 555-0198"]),
    ("My cell 813.555.0177 or my wife at 8135550123.", ["813.555.0177", "8135550123"]),
    ("+1 941 555 0100 is my number.", ["+1 941 555 0100"]),
    ("Please call my cell 555-1234 after 5.", ["555-1234"]),
    ("Reach me on eight one three five five five zero one nine nine.",
     ["eight one three five five five zero one nine nine"]),
])
def test_phone_numbers_are_found(text, phones):
    assert found(text)["phone"] == phones


def test_the_practice_phone_is_not_a_patient_detail():
    assert "phone" not in found("Call the office at 813-555-0100 to book. They answer fast.")


@pytest.mark.parametrize("text, emails", [
    ("Email me at rosa.delgado58@gmail.com please.", ["rosa.delgado58@gmail.com"]),
    ("EMAIL: BETTY.R@HOTMAIL.COM", ["BETTY.R@HOTMAIL.COM"]),
    ("My email is jdoe1958 at gmail dot com if you want.", ["jdoe1958 at gmail dot com"]),
])
def test_emails_are_found(text, emails):
    assert found(text)["email"] == emails


@pytest.mark.parametrize("text, addresses", [
    ("I live at 1234 W Kennedy Blvd, Tampa, FL 33606 and they lost my bill.", ["1234 W Kennedy Blvd, Tampa, FL 33606"]),
    ("Mail never reaches 12 Oak Street, Apt 4 for some reason.", ["12 Oak Street, Apt 4"]),
    ("I live on Bayshore Blvd, 10 minutes away.", ["Bayshore Blvd"]),
    ("Send it to PO Box 1123 please.", ["PO Box 1123"]),
    ("Zip code 33511 is outside their area.", ["33511"]),
])
def test_street_addresses_are_found(text, addresses):
    assert found(text)["address"] == addresses


def test_the_practice_address_is_not_a_patient_detail():
    assert "address" not in found("The office at 3100 E Fletcher Ave, Suite 210 has plenty of parking.")


@pytest.mark.parametrize("text, dates", [
    ("DOB 03/14/1958, please fix my file.", ["03/14/1958"]),
    ("I was born on March 14, 1958 in Ohio.", ["March 14, 1958"]),
    ("My date of birth is June 3rd, 1949.", ["June 3rd, 1949"]),
    ("They fit me in on my birthday!", ["my birthday"]),
    ("My birthday is December 2nd and they sang.", ["December 2nd"]),
    ("Born 1947, still active.", ["1947"]),
])
def test_dates_of_birth_are_found(text, dates):
    assert found(text)["date_of_birth"] == dates


@pytest.mark.parametrize("text, ages", [
    ("I'm 67 and have back pain.", ["67"]),
    ("I am a 67-year-old retired nurse.", ["67-year-old"]),
    ("At 80 years old I did not expect this.", ["80 years old"]),
    ("Age 45, desk job, bad disc.", ["45"]),
    ("I turned 60 last month.", ["60"]),
    ("As a woman in my 70s I appreciate it.", ["70s"]),
    ("My mom Rose is 91 and they help her.", ["91"]),
    ("My son Tyler (16) hurt his back.", ["16"]),
    ("I am seventy-four and never rushed.", ["seventy-four"]),
    ("As a 55 yo runner I was worried.", ["55 yo"]),
])
def test_ages_are_found(text, ages):
    assert found(text)["age"] == ages


@pytest.mark.parametrize("text, records", [
    ("My MRN is 20455781, please send my records.", ["20455781"]),
    ("Patient ID #A-99812 here.", ["A-99812"]),
    ("My account number is 55512.", ["55512"]),
    ("Medicare ID 1EG4-TE5-MK72 was entered wrong.", ["1EG4-TE5-MK72"]),
    ("My account is 5551234567 and not a phone.", ["5551234567"]),
])
def test_record_numbers_are_found(text, records):
    result = found(text)
    assert result["record_number"] == records
    assert "phone" not in result


@pytest.mark.parametrize("text", [
    "Waited 45 minutes, but 10/10 care. $120 copay, 3 visits, 5 stars.",
    "Dr. Patel raised my gabapentin to 300 mg and my meloxicam 15 mg was refilled.",
    "My first visit was on 03/12/2024 and my follow up is on Jan 5.",
    "The 10:15 appointment started at 10:20. Pain went from 8/10 to 2/10.",
    "After 20 years of pain and 3 surgeries at L4-L5 and C5-C6, I'm 100% better.",
    "Over $1,200 for one procedure, 24/7 nurse line, Suite 210, Room 4, I-275 traffic.",
    "I have been coming here since 2019 and I am 2 weeks post-op.",
    "I give them 5 Stars Dr Kim is great. Visit #3 went well.",
])
def test_numbers_that_are_not_details_are_not_flagged(text):
    assert find_patient_details(text, STAFF) == []


def test_flags_have_one_entry_per_kind_with_sorted_exact_spans():
    text = "Call me at 813-555-0142. My husband John, 70, and I live at 12 Oak Street. Or call 813-555-0199."
    flags = find_patient_details(text, STAFF)
    assert [f["detail"] for f in flags] == [k for k in KINDS if k in {"name", "phone", "address", "age"}]
    assert all(f["name"] == "patient_detail" for f in flags)
    phone = next(f for f in flags if f["detail"] == "phone")
    second = text.index("813-555-0199")
    assert phone["spans"] == [[11, 23], [second, second + 12]]
    assert [text[s:e] for s, e in phone["spans"]] == ["813-555-0142", "813-555-0199"]


def test_empty_text_has_no_flags():
    assert find_patient_details("") == []


def test_flagged_details_stay_out_of_the_suggested_excerpt():
    text = ("Dr. Alvarez was wonderful and kind! My wonderful husband John Perez loved the staff too. "
            "Call me at 813-555-0142, it was a great experience. The whole team is amazing and caring.")
    flags = find_patient_details(text, STAFF)
    excerpt = suggest_excerpt(text, score_record(text, 5).sentences, flags, 240)
    assert excerpt and "Dr. Alvarez" in excerpt
    assert "John" not in excerpt and "813" not in excerpt


def test_labelled_spans_are_exact():
    for record in load_labelled():
        for span in record["spans"]:
            value = record["text"][span["start"]:span["end"]]
            assert value and value == value.strip() and span["kind"] in KINDS, record
        assert from_marked(to_marked(record)) == record


def test_labelled_set_precision_and_recall_stay_at_measured_levels():
    # Measured on 330 labelled reviews: overall precision 0.995, recall 0.968 (held-out batches before tuning:
    # 0.964 / 0.883 and 0.930 / 0.952). The floors sit just below the measured levels to catch regressions.
    counts = score(load_labelled(), detector(STAFF_NAMES))
    precision, recall = precision_recall(overall(counts))
    assert precision >= 0.97 and recall >= 0.94
    for kind in ("name", "phone", "email", "address", "date_of_birth", "record_number"):
        assert precision_recall(counts[kind])[1] >= 0.95, kind
    assert precision_recall(counts["age"])[1] >= 0.85


def test_relative_matches_on_lower_case_text_equal_the_case_blind_pattern():
    import random

    from pipeline.judge.detectors import patient_names

    pieces = ["my", "My", "MY", "tummy", "our", "Our", "hour", "his", "this", "her", "Her", "other", "their", "son",
              "Son", "wife", "WIFE", "mother-in-law", "older", "two", "3-year-old", "kids", "_my", "x1my", "Ann",
              "Bob", ",", "(", "-", ":", " ", " ", "  ", "\t", ".", "and", "ſon", "Kid"]
    rng = random.Random(5)
    texts = ["Tummy son Ann, my son Bob and MY WIFE: Eve", "ourmy son Al", "my  two  sons Al and Bo"]
    texts += [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    for text in texts:
        expected = [m.span() for m in patient_names._KIN.finditer(text)]
        assert [m.span() for m in patient_names._kin_matches(text, text.lower())] == expected, text
