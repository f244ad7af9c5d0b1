"""The OpenAPI document of the public JSON API (served at /openapi.json and fuzzed by the tests from itself)."""

from __future__ import annotations

from typing import Any

from web.public.api import DEFAULT_LIMIT, MAX_LIMIT, MAX_VALUE_CHARS


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "nullable": True, **extra}


def _param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


_TEXT = {"type": "string", "maxLength": MAX_VALUE_CHARS}
_LOCATION = _param("location", "Only testimonials (or summary rows) of this location id.", _TEXT)
_LINK = {"type": "object", "required": ["label", "url"], "additionalProperties": False,
         "properties": {"label": {"type": "string"}, "url": {"type": "string"}}}
_HEAD = {
    "label": {"type": "string", "minLength": 1, "description": 'The label every display must show, e.g. '
              '"Selected testimonials": the quotes are a selection, not a representative sample.'},
    "practice_name": {"type": "string"},
    "publish_id": {"type": "string"},
    "published_at": {"type": "string"},
    "full_reviews": {"type": "array", "items": _LINK, "description": "Links to the full, unfiltered listings."},
}
_TESTIMONIAL = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "excerpt", "attribution", "rating", "source_label", "source_url", "location",
                 "location_name", "tags", "disclosure", "provider", "published_at"],
    "properties": {
        "id": {"type": "string"}, "excerpt": {"type": "string"}, "attribution": {"type": "string"},
        "rating": _nullable("number", minimum=0, maximum=5), "source_label": _nullable("string"),
        "source_url": _nullable("string"), "location": _nullable("string"), "location_name": _nullable("string"),
        "tags": {"type": "array", "items": {"type": "string"}}, "disclosure": _nullable("string"),
        "provider": _nullable("string"), "published_at": {"type": "string"},
    },
}
_SOURCE = {
    "type": "object", "additionalProperties": False,
    "required": ["source_label", "source_url", "location", "location_name", "review_count", "rated_count",
                 "average_rating", "stated_count", "stated_rating"],
    "properties": {
        "source_label": {"type": "string"}, "source_url": _nullable("string"), "location": _nullable("string"),
        "location_name": _nullable("string"),
        "review_count": {"type": "integer", "minimum": 0}, "rated_count": {"type": "integer", "minimum": 0},
        "average_rating": _nullable("number"), "stated_count": _nullable("integer"),
        "stated_rating": _nullable("number"),
    },
}
_PAGE = {"type": "object", "additionalProperties": False,
         "required": [*_HEAD, "testimonials", "next_cursor"],
         "properties": {**_HEAD, "testimonials": {"type": "array", "items": {"$ref": "#/components/schemas/Testimonial"}},
                        "next_cursor": _nullable("string", description="Pass as `cursor` for the next page.")}}
_SUMMARY = {"type": "object", "additionalProperties": False,
            "required": [*_HEAD, "total_reviews", "rated_reviews", "average_rating", "note", "sources"],
            "properties": {**_HEAD, "total_reviews": {"type": "integer", "minimum": 0},
                           "rated_reviews": {"type": "integer", "minimum": 0},
                           "average_rating": _nullable("number"), "note": {"type": "string"},
                           "sources": {"type": "array", "items": {"$ref": "#/components/schemas/SummarySource"}}}}
_ERROR = {"type": "object", "additionalProperties": False, "required": ["error"],
          "properties": {"error": {"type": "object", "required": ["status", "message"], "additionalProperties": False,
                                   "properties": {"status": {"type": "integer"}, "message": {"type": "string"},
                                                  "parameter": {"type": "string"}}}}}
_CACHING = {"ETag": {"description": "Strong validator, new with every publish.", "schema": {"type": "string"}},
            "Cache-Control": {"schema": {"type": "string"}}}


def _json(schema: str, description: str, headers: dict | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
    if headers:
        answer["headers"] = headers
    return answer


def _responses(schema: str, description: str) -> dict[str, Any]:
    return {"200": _json(schema, description, _CACHING),
            "304": {"description": "Not modified: the If-None-Match ETag is still current.", "headers": _CACHING},
            "400": _json("Error", "A parameter is unknown, repeated or out of range; the message names it."),
            "503": _json("Error", "Nothing is published yet, or the public store cannot be read.")}


def openapi_document(practice_name: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document of /v1/testimonials and /v1/summary."""
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{practice_name}: published testimonials", "version": "1",
                 "description": "Read-only. Quotes are a selection (see `label`); the summary covers every "
                                "collected review. Answers change only when staff publish."},
        "paths": {
            "/v1/testimonials": {"get": {
                "operationId": "listTestimonials", "summary": "Published testimonials, newest first, in pages.",
                "parameters": [
                    _LOCATION,
                    _param("provider", "Only testimonials about this provider (as staff recorded it).", _TEXT),
                    _param("tag", "Only testimonials with this service tag.", _TEXT),
                    _param("min_rating", "Only testimonials whose review rated at least this (0-5).",
                           {"type": "number", "minimum": 0, "maximum": 5}),
                    _param("limit", "Testimonials per page.",
                           {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
                    _param("cursor", "The `next_cursor` of the previous page.", _TEXT),
                ],
                "responses": _responses("TestimonialPage", "A page of testimonials.")}},
            "/v1/summary": {"get": {
                "operationId": "getSummary", "summary": "Counts and average ratings of all collected reviews.",
                "parameters": [_LOCATION],
                "responses": _responses("Summary", "The honest summary, per source.")}},
        },
        "components": {"schemas": {"Testimonial": _TESTIMONIAL, "TestimonialPage": _PAGE, "SummarySource": _SOURCE,
                                   "Summary": _SUMMARY, "Error": _ERROR}},
    }
