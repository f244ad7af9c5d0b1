"""Each form tool's webhook body as the flat fields its CSV export would have, and a key that names the delivery.

The inbox source reads a delivery like one CSV row of that tool's export (`form_presets`), so a field maps the
same way whether it came in an export or a webhook; where a tool sends field ids instead of labels (Gravity
Forms' "All Fields" body), the inbox source's `columns` names them (`columns = { text = "3" }`).

- Gravity Forms (Webhooks add-on, JSON): the entry object. Entry meta becomes the export's headers ("Entry Id",
  "Entry Date", "Date Updated", "Source Url"); field values keep their ids ("3", "2.3") or the keys chosen with
  "Select Fields". The client's IP and user agent are dropped: nothing needs them.
- WPForms (Webhooks addon, JSON): the key → field mapping the site chose, kept as sent.
- Typeform (JSON): one field per answer, named by the question's title (else its `ref`), valued the way the
  export writes it (booleans 1/0, several choices joined by ", "); "#" is the response token and
  "Submit Date (UTC)" its submission time.
- Jotform (multipart or urlencoded form): `rawRequest`, a JSON string of answers keyed `q<N>_<name>`, becomes
  one field per question named by its words ("q4_fullName" → "full name"; a name's parts "full name first",
  "full name last"); "Submission ID" is `submissionID`.

The dedupe key is the tool and its own submission id when it sends one, so a retried or replayed delivery is
stored once; without an id the inbox hashes the fields.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

from pipeline.webhooks.verify import Refused

TOOLS = ("gravityforms", "wpforms", "typeform", "jotform")
MAX_FIELDS = 500
MAX_VALUE_CHARS = 100_000
_GF_META = {"id": "Entry Id", "date_created": "Entry Date", "date_updated": "Date Updated",
            "source_url": "Source Url", "form_id": "Form Id"}
_GF_DROPPED = frozenset({"ip", "user_agent", "created_by", "is_starred", "is_read", "status", "currency",
                         "payment_status", "payment_date", "payment_amount", "payment_method", "transaction_id",
                         "is_fulfilled", "transaction_type", "post_id"})
_JOTFORM_KEY = re.compile(r"^q\d+_(.+)$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True)
class Delivery:
    """A delivery ready for the inbox: the tool (a preset name), flat fields, and its dedupe key."""

    tool: str
    fields: dict[str, str]
    key: str | None


def parse(tool: str, body: bytes, content_type: str) -> Delivery:
    """The delivery in a tool's webhook body; Refused(400) when the body is not what the tool sends."""
    if tool not in TOOLS:
        raise Refused(404, f"unknown form tool {tool!r}; one of {', '.join(TOOLS)}")
    reader = {"gravityforms": _gravityforms, "wpforms": _wpforms, "typeform": _typeform, "jotform": _jotform}[tool]
    delivery = reader(body, content_type)
    if not delivery.fields:
        raise Refused(400, "the delivery has no fields")
    if len(delivery.fields) > MAX_FIELDS:
        raise Refused(400, f"the delivery has more than {MAX_FIELDS} fields")
    return delivery


def json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object; Refused(400) for anything else."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise Refused(400, "the body is JSON but not an object")
    return data


def _gravityforms(body: bytes, content_type: str) -> Delivery:
    entry = json_object(body)
    fields = {_GF_META.get(key, key): _text(value) for key, value in entry.items()
              if key not in _GF_DROPPED and _text(value)}
    key = f"gravityforms:{entry.get('form_id', '')}:{entry['id']}" if entry.get("id") else None
    return Delivery("gravityforms", fields, key)


def _wpforms(body: bytes, content_type: str) -> Delivery:
    data = json_object(body)
    fields = {str(key): _text(value) for key, value in data.items() if _text(value)}
    entry = next((fields[k] for k in fields if k.lower().replace("_", " ") in ("entry id", "id")), None)
    return Delivery("wpforms", fields, f"wpforms:{entry}" if entry else None)


def _typeform(body: bytes, content_type: str) -> Delivery:
    data = json_object(body)
    response = data.get("form_response")
    if not isinstance(response, dict) or not isinstance(response.get("answers", []), list):
        raise Refused(400, "not a Typeform delivery: no form_response with answers")
    definition = response.get("definition") if isinstance(response.get("definition"), dict) else {}
    titles = {f.get("id"): f.get("title") for f in definition.get("fields") or [] if isinstance(f, dict)}
    fields = {"#": _text(response.get("token")), "Submit Date (UTC)": _text(response.get("submitted_at"))}
    for answer in response.get("answers") or []:
        if isinstance(answer, dict) and isinstance(answer.get("field"), dict):
            field = answer["field"]
            name = _text(titles.get(field.get("id")) or field.get("ref") or field.get("id"))
            if name:
                fields[name] = _typeform_value(answer)
    token = response.get("token")
    return Delivery("typeform", {k: v for k, v in fields.items() if v},
                    f"typeform:{response.get('form_id', '')}:{token}" if token else None)


def _typeform_value(answer: dict[str, Any]) -> str:
    kind = answer.get("type")
    value = answer.get(kind) if isinstance(kind, str) else None
    if kind == "boolean":
        return "1" if value else "0"
    if kind == "choice" and isinstance(value, dict):
        return _text(value.get("label") or value.get("other"))
    if kind == "choices" and isinstance(value, dict):
        return ", ".join(_text(label) for label in value.get("labels") or [])
    return _text(value)


def _jotform(body: bytes, content_type: str) -> Delivery:
    form = _form_fields(body, content_type)
    try:
        answers = json.loads(form.get("rawRequest", ""))
    except ValueError:
        raise Refused(400, "not a Jotform delivery: rawRequest is missing or not JSON") from None
    if not isinstance(answers, dict):
        raise Refused(400, "not a Jotform delivery: rawRequest is not a JSON object")
    fields: dict[str, str] = {}
    for key, value in answers.items():
        match = _JOTFORM_KEY.match(str(key))
        if match:
            _flatten(_words(match[1]), value, fields)
    submission = form.get("submissionID") or ""
    if submission:
        fields["Submission ID"] = submission
    return Delivery("jotform", {k: v for k, v in fields.items() if v},
                    f"jotform:{form.get('formID', '')}:{submission}" if submission else None)


def _form_fields(body: bytes, content_type: str) -> dict[str, str]:
    """A form body's fields (multipart/form-data or urlencoded), first value of each."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1") +
                                                      b"\r\n\r\n" + body)
        if not message.is_multipart():
            raise Refused(400, "the multipart body could not be read")
        found = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name and name not in found:
                found[str(name)] = part.get_payload(decode=True).decode("utf-8", "replace")
        return found
    if kind == "application/x-www-form-urlencoded":
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
    raise Refused(415, "Jotform sends multipart/form-data or a urlencoded form")


def _flatten(name: str, value: Any, fields: dict[str, str]) -> None:
    if isinstance(value, dict):
        for part, inner in value.items():
            _flatten(f"{name} {_words(str(part))}", inner, fields)
    elif isinstance(value, list):
        fields[name] = ", ".join(_text(item) for item in value if _text(item))
    else:
        fields[name] = _text(value)


def _words(slug: str) -> str:
    """"fullName" → "full name", "your_review" → "your review"."""
    return " ".join(_CAMEL.sub(" ", slug).replace("_", " ").split()).lower()


def _text(value: Any) -> str:
    """A field value as text (numbers and booleans as the exports write them), bounded."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)[:MAX_VALUE_CHARS].strip()
