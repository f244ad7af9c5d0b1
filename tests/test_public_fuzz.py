"""A property-based fuzz of the public API from its own OpenAPI document (schemathesis), over a real server.

Every generated request must get an answer that is no server error and that fits the document: a documented
status code, the documented content type and headers, and a body valid against the response schema. The
number of examples is bounded so the suite stays fast.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.appserver import AppServer
from tests.publicdata import HOSTILE, make_testimonial, public_settings, write_store
from web.public.app import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    config = public_settings(folder)
    write_store(config.public_db, [make_testimonial(i) for i in range(1, 40)]
                + [make_testimonial(200 + i, excerpt=text) for i, text in enumerate(HOSTILE)])
    with AppServer(create_app(config)) as server:
        yield schemathesis.openapi.from_url(server.url("/openapi.json"))


def operations(schema) -> dict[str, object]:
    return {f"{op.method.upper()} {op.path}": op for op in (result.ok() for result in schema.get_all_operations())}


# schemathesis's own pytest plugin does not run under this pytest (it reads a private attribute that pytest 9
# removed), so each operation's strategy is driven by Hypothesis directly.
@pytest.mark.parametrize("operation", ["GET /v1/testimonials", "GET /v1/summary"])
def test_the_api_keeps_its_own_document(api_schema, operation):
    found = operations(api_schema)
    assert set(found) == {"GET /v1/testimonials", "GET /v1/summary"}

    @given(case=found[operation].as_strategy())
    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    def fuzz(case):
        case.call_and_validate(checks=CHECKS)

    fuzz()
