"""Street addresses found by their own shape, without a keyword before them; ordinary numbers left alone."""

import pytest

from pipeline.judge.detectors.patient_details import find_patient_details


def addresses(text: str) -> list[str]:
    """The substrings flagged as addresses."""
    return [text[s:e] for f in find_patient_details(text) if f["detail"] == "address" for s, e in f["spans"]]


@pytest.mark.parametrize("text, expected", [
    ("We moved to 915 W Kennedy Blvd last year.", ["915 W Kennedy Blvd"]),
    ("3000 Elm Court", ["3000 Elm Court"]),
    ("They sent it to 1420 NE 5th Ave, Apt 3B, Tampa, FL 33602 by mistake.", ["1420 NE 5th Ave, Apt 3B, Tampa, FL 33602"]),
    ("The ambulance came to 61 Martin Luther King Jr Drive within minutes.", ["61 Martin Luther King Jr Drive"]),
    ("Our home on 8 Palm Way is close.", ["8 Palm Way"]),
    ("Bills go to 4501 Gulf Blvd Unit 12 now.", ["4501 Gulf Blvd Unit 12"]),
    ("Drove in from 2200 US Hwy 19 N every week.", ["2200 US Hwy 19 N"]),
    ("We are at 4150 State Road 54, 20 minutes away.", ["4150 State Road 54"]),
    ("Refund went to 350 5th Avenue, New York, NY 10118 instead.", ["350 5th Avenue, New York, NY 10118"]),
    ("They have 77 NE Dale Mabry St. We moved since.", ["77 NE Dale Mabry St."]),
    ("i live at 123 oak street and they never called", ["123 oak street"]),
    ("Post Office Box 12 is my mailing address.", ["Post Office Box 12"]),
    ("Refund to P.O. Box 88, Sarasota, FL 34236 please.", ["P.O. Box 88", "34236"]),
])
def test_street_addresses_are_found_by_their_shape(text, expected):
    assert addresses(text) == expected


@pytest.mark.parametrize("text", [
    "I gave them 5 stars.",
    "After 2 visits I felt better.",
    "Room 3 was clean, Room 212 on the 3rd floor too.",
    "I waited 45 minutes.",
    "It is a 45 Minute Drive from my house.",
    "We Drove 2 Hours Down The Road.",
    "The hospital on 80 Feet Road is great.",
    "There were 4 Specialists Dr Patel and Dr Rao.",
    "Went to 2 Hospitals St Johns was the best.",
    "only 10 min away down the road",
    "Their new office at 3000 Bayshore Blvd is easy to find.",
    "I paid 45000 for 3 days.",
])
def test_ordinary_numbers_are_not_addresses(text):
    assert addresses(text) == []


def test_a_patient_who_moved_is_not_the_practice_moving():
    assert addresses("The clinic moved to 500 N Westshore Blvd in May.") == []
    assert addresses("We moved to 500 N Westshore Blvd in May.") == ["500 N Westshore Blvd"]
