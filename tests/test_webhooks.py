"""Form-tool webhooks (pipeline/webhooks/): each tool's body mapped to its export's fields, signatures and
shared secrets checked, stale, replayed, oversize and malformed deliveries refused or stored once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from pipeline.webhooks.payloads import parse
from pipeline.webhooks.receive import InboxFile, WebhookSettings, receive
from storage.inbox import read_after
from pipeline.webhooks.verify import Refused, sign

FIXTURES = Path(__file__).parent / "fixtures" / "webhooks"
SECRET = "synthetic-shared-webhook-secret"
TYPEFORM_SECRET = "synthetic-typeform-secret"
NOW = 1_800_000_000
CONFIG = WebhookSettings(SECRET, TYPEFORM_SECRET, max_bytes=64_000, tolerance_seconds=300)
JSON = "application/json"


@pytest.fixture
def inbox(tmp_path):
    """The real inbox file the hosted form writes (storage/inbox.py), through the webhooks' adapter."""
    return InboxFile(tmp_path / "inbox.db")


def stored(inbox: InboxFile) -> list[tuple[str, dict]]:
    return [(row["source_tool"], row["payload"]) for row in read_after(inbox.path, 0)]


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def typeform_headers(data: bytes, secret: str = TYPEFORM_SECRET) -> dict[str, str]:
    digest = base64.b64encode(hmac.new(secret.encode(), data, hashlib.sha256).digest()).decode()
    return {"Content-Type": JSON, "Typeform-Signature": f"sha256={digest}"}


def signed(data: bytes, at: int = NOW, secret: str = SECRET) -> dict[str, str]:
    return {"Content-Type": JSON, "X-Plaudit-Timestamp": str(at), "X-Plaudit-Signature": sign(data, at, secret)}


def jotform() -> tuple[bytes, dict[str, str]]:
    return body("jotform.multipart"), {"Content-Type": (FIXTURES / "jotform.content-type").read_text()}


# --- each tool's body, mapped -------------------------------------------------------------------------------

def test_gravity_forms_entry_keeps_field_ids_and_export_meta_names_without_ip():
    delivery = parse("gravityforms", body("gravityforms.json"), JSON)
    assert delivery.key == "gravityforms:3:4821"
    assert delivery.fields["Entry Id"] == "4821" and delivery.fields["Entry Date"] == "2026-11-20 14:03:11"
    assert delivery.fields["3"].startswith("Dr. Alvarez") and delivery.fields["4.1"] == "1"
    assert "ip" not in delivery.fields and "user_agent" not in delivery.fields


def test_typeform_answers_are_named_by_their_question():
    delivery = parse("typeform", body("typeform.json"), JSON)
    assert delivery.key == "typeform:lT4Z3j:a3a12ec67a1365927098a606107fac15"
    assert delivery.fields["Tell us about your visit"].startswith("The front desk")
    assert delivery.fields["How would you rate us?"] == "5"
    assert delivery.fields["May we share your words on our website?"] == "1"
    assert (delivery.fields["Which office did you visit?"], delivery.fields["#"]) == ("Tampa", delivery.key[-32:])
    assert delivery.fields["Submit Date (UTC)"] == "2026-11-20T14:03:11Z"


def test_jotform_raw_request_becomes_question_words():
    data, headers = jotform()
    delivery = parse("jotform", data, headers["Content-Type"])
    assert delivery.key == "jotform:230000000000001:5880000000000000001"
    assert delivery.fields == {"your review": "Dr. Chen took time to go over the plan.", "full name first": "Nina",
                               "full name last": "Example", "star rating": "5",
                               "may we": "Yes, you may share my review on your website.",
                               "email": "nina@example.com", "Submission ID": "5880000000000000001"}


def test_wpforms_fields_are_kept_as_the_site_named_them():
    delivery = parse("wpforms", body("wpforms.json"), JSON)
    assert delivery.key == "wpforms:917" and delivery.fields["comment_or_message"].startswith("Short wait")


@pytest.mark.parametrize("tool, data, kind, message", [
    ("typeform", b'{"form_response": 3}', JSON, "no form_response"),
    ("gravityforms", b"[1, 2]", JSON, "not an object"),
    ("wpforms", b"{}", JSON, "no fields"),
    ("jotform", b"rawRequest=%7Bnope", "application/x-www-form-urlencoded", "not JSON"),
    ("jotform", b"{}", JSON, "multipart/form-data"),
])
def test_bodies_that_are_not_what_the_tool_sends_are_refused(tool, data, kind, message):
    with pytest.raises(Refused, match=message):
        parse(tool, data, kind)


# --- through receive: valid, bad signature, stale, replayed, oversize, malformed ------------------------------

def test_a_valid_typeform_delivery_is_stored_and_acknowledged(inbox):
    data = body("typeform.json")
    receipt = receive("typeform", data, typeform_headers(data), None, CONFIG, inbox, NOW)
    assert receipt.status == 200 and receipt.body == {"stored": True, "duplicate": False, "id": 1}
    [(tool, payload)] = stored(inbox)
    assert tool == "typeform" and payload["Your name"] == "Grace Example"


@pytest.mark.parametrize("tool, fixture", [("gravityforms", "gravityforms.json"), ("wpforms", "wpforms.json")])
def test_valid_hmac_signed_deliveries_are_stored(inbox, tool, fixture):
    data = body(fixture)
    assert receive(tool, data, signed(data), None, CONFIG, inbox, NOW + 20).status == 200
    assert [row[0] for row in stored(inbox)] == [tool]


def test_a_jotform_delivery_with_the_url_token_is_stored(inbox):
    data, headers = jotform()
    assert receive("jotform", data, headers, SECRET, CONFIG, inbox, NOW).status == 200
    assert stored(inbox)[0][1]["your review"].startswith("Dr. Chen")


@pytest.mark.parametrize("tool, headers, token", [
    ("typeform", {"Typeform-Signature": "sha256=AAAA"}, None),
    ("typeform", {}, None),
    ("gravityforms", {"X-Plaudit-Timestamp": str(NOW), "X-Plaudit-Signature": "sha256=00"}, None),
    ("wpforms", {"X-Plaudit-Token": "guess"}, None),
    ("jotform", {}, "guess"),
    ("jotform", {}, None),
])
def test_a_bad_or_missing_signature_stores_nothing(inbox, tool, headers, token):
    data = body("typeform.json") if tool == "typeform" else body("wpforms.json")
    receipt = receive(tool, data, {"Content-Type": JSON, **headers}, token, CONFIG, inbox, NOW)
    assert receipt.status == 401 and stored(inbox) == []
    assert SECRET not in json.dumps(receipt.body)


def test_a_body_changed_after_signing_is_refused(inbox):
    data = body("gravityforms.json")
    headers = signed(data)
    assert receive("gravityforms", data.replace(b"4821", b"4822"), headers, None, CONFIG, inbox, NOW).status == 401
    assert receive("typeform", body("typeform.json") + b" ", typeform_headers(body("typeform.json")), None, CONFIG,
                   inbox, NOW).status == 401


@pytest.mark.parametrize("age", [301, -301, 86_400])
def test_a_stale_signed_timestamp_is_refused(inbox, age):
    data = body("wpforms.json")
    receipt = receive("wpforms", data, signed(data, at=NOW - age), None, CONFIG, inbox, NOW)
    assert receipt.status == 401 and "stale" in receipt.body["error"] and stored(inbox) == []


def test_a_replayed_or_retried_delivery_is_stored_once(inbox):
    data = body("typeform.json")
    first = receive("typeform", data, typeform_headers(data), None, CONFIG, inbox, NOW)
    again = receive("typeform", data, typeform_headers(data), None, CONFIG, inbox, NOW + 3600)
    assert (first.status, again.status) == (200, 200) and again.body == {"stored": True, "duplicate": True, "id": 1}
    gf = body("gravityforms.json")
    for at in (NOW, NOW + 60):  # a retry is signed afresh: same entry, same key
        assert receive("gravityforms", gf, signed(gf, at), None, CONFIG, inbox, at).status == 200
    assert len(stored(inbox)) == 2


@pytest.mark.parametrize("declared", [None, "999999"])
def test_an_oversize_body_is_refused_before_anything_else(inbox, declared):
    data = b'{"text": "' + b"x" * 70_000 + b'"}'
    headers = {"Content-Type": JSON, **({"Content-Length": declared} if declared else {})}
    receipt = receive("wpforms", data if not declared else b"{}", headers, SECRET, CONFIG, inbox, NOW)
    assert receipt.status == 413 and stored(inbox) == []


@pytest.mark.parametrize("data", [b"{not json", b"\xff\xfe{}", b""])
def test_malformed_json_with_a_valid_signature_is_a_400(inbox, data):
    receipt = receive("wpforms", data, signed(data), None, CONFIG, inbox, NOW)
    assert receipt.status == 400 and stored(inbox) == []


def test_webhooks_are_off_without_a_secret_and_unknown_tools_are_404(inbox):
    data = body("wpforms.json")
    off = WebhookSettings("", "", 64_000, 300)
    assert receive("wpforms", data, {"X-Plaudit-Token": ""}, None, off, inbox, NOW).status == 503
    assert receive("typeform", data, {}, None, off, inbox, NOW).status == 503
    assert receive("surveymonkey", data, {}, SECRET, CONFIG, inbox, NOW).status == 404


def test_a_failed_inbox_write_is_a_503_so_the_sender_retries(tmp_path, caplog):
    (tmp_path / "not-a-folder").write_text("x")
    broken = InboxFile(tmp_path / "not-a-folder" / "inbox.db")  # cannot be created: a file stands in the way
    data = body("wpforms.json")
    receipt = receive("wpforms", data, signed(data), None, CONFIG, broken, NOW)
    assert receipt.status == 503 and "send it again" in receipt.body["error"]
    assert "Marcus" not in caplog.text
