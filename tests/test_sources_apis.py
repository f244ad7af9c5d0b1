"""Review API sources (pipeline/sources/apis/) against recorded answers we wrote (tests/fixtures/apis/), served
by a real HTTP server on 127.0.0.1: Google Business Profile, Trustpilot, Yelp; credentials never leak."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from pipeline import steps
from pipeline.errors import ConfigError
from pipeline.net.client import PoliteClient
from pipeline.runs import begin_run, run_nightly

FIXTURES = Path(__file__).parent / "fixtures" / "apis"
REFRESH = "1//synthetic-refresh-token-9f8e7d"
SECRET = "synthetic-client-secret-4c3b2a"
TP_KEY = "synthetic-trustpilot-key-77aa"
YELP_KEY = "synthetic-yelp-key-55bb"
ACCESS = json.loads((FIXTURES / "gbp-token.json").read_text())["access_token"]
GBP_REVIEWS = "/v4/accounts/1111/locations/2222/reviews"
JSON = {"Content-Type": "application/json; charset=utf-8"}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def serve_gbp(server, pages=("gbp-reviews-1.json", "gbp-reviews-2.json")) -> None:
    """Google's token endpoint and the reviews list, as recorded; a wrong refresh token gets invalid_grant."""
    def token(request):
        form = parse_qs(request.body.decode())
        ok = form.get("refresh_token") == [REFRESH] and form.get("grant_type") == ["refresh_token"]
        return (200, JSON, fixture("gbp-token.json")) if ok else (400, JSON, fixture("gbp-token-invalid-grant.json"))

    def reviews(request):
        if request.headers.get("Authorization") != f"Bearer {ACCESS}":
            return 401, JSON, b'{"error": {"code": 401, "status": "UNAUTHENTICATED"}}'
        query = parse_qs(urlsplit(request.path).query)
        assert query["orderBy"] == ["updateTime desc"] and query["pageSize"] == ["50"]
        return 200, JSON, fixture(pages[1] if query.get("pageToken") == ["CAIQAA-page-2"] else pages[0])

    server.route_handler("/token", token)
    server.route_handler(GBP_REVIEWS, reviews)


GBP_SOURCE = """
[[sources]]
name = "google"
kind = "google_business_profile"
resource = "accounts/1111/locations/2222"
api_base = "{base}"
token_url = "{base}/token"
listing_url = "https://maps.google.com/?cid=1"
auth = {{ client_id = "synthetic-client-id.apps.example" }}
"""
GBP_ENV = {"PLAUDIT_SOURCE_GOOGLE_REFRESH_TOKEN": REFRESH, "PLAUDIT_SOURCE_GOOGLE_CLIENT_SECRET": SECRET}


@pytest.fixture
def gbp(local_server, make_settings, monkeypatch):
    """Settings for one GBP source whose secrets come from the environment, its API served locally."""
    serve_gbp(local_server)

    def build(extra: str = "", env: dict | None = None, **overrides):
        for key, value in (GBP_ENV if env is None else env).items():
            monkeypatch.setenv(key, value)
        settings = make_settings(GBP_SOURCE.format(base=local_server.base) + extra, **overrides)
        return settings
    return build


def collect(settings, name: str) -> dict:
    run_id = begin_run(settings, "test")
    with PoliteClient(settings) as client:
        return steps.collect_source(settings, name, client, run_id)


def rows(settings, source: str) -> dict[str, dict]:
    with steps.open_store(settings) as db:
        return {r["external_id"]: r for r in db["reviews"].rows_where("source = ?", [source])}


def env_settings(make_settings, toml: str, **overrides):
    """load_settings reads the environment only through its `env` argument; the fixture passes {}."""
    import os

    from pipeline.settings import load_settings
    config = make_settings(toml).config_path
    defaults = {"allow_private_addresses": True, "http_delay_seconds": 0.0, "http_retries": 0}
    return load_settings(config, env=dict(os.environ), **{**defaults, **overrides})


def test_google_business_profile_reads_every_page_with_a_fresh_token(gbp, local_server, make_settings):
    gbp()
    settings = env_settings(make_settings, GBP_SOURCE.format(base=local_server.base))
    result = collect(settings, "google")
    assert (result["status"], result["pages"], result["new"], result["complete"]) == ("ok", 2, 4, True)
    assert result["skipped_normal"] == 1  # Marcus left stars only
    found = rows(settings, "google")
    assert found["AbFvOqn2"]["text"] == "La recepción me encontró una cita más temprano."  # the reviewer's words
    assert found["AbFvOqn2"]["author"] is None and found["AbFvOqn1"]["author"] == "Patsy Example"
    assert (found["AbFvOqn1"]["rating"], found["AbFvOqn1"]["published"]) == (5.0, "2026-11-20")
    assert found["AbFvOqn4"]["text"] == "Clean rooms, short wait, kind staff <3"  # plain text stays as typed
    with steps.open_store(settings) as db:
        assert db.execute("SELECT stated_rating, stated_count FROM source_state").fetchone() == (4.6, 5)
    token_call = local_server.requests_for("/token")[0]
    assert token_call.method == "POST" and parse_qs(token_call.body.decode())["client_secret"] == [SECRET]
    assert local_server.requests_for("/robots.txt") == []  # an API, not a crawl


def test_credentials_never_reach_logs_reports_or_the_store(gbp, local_server, make_settings, caplog):
    gbp()
    settings = env_settings(make_settings, GBP_SOURCE.format(base=local_server.base))
    caplog.set_level(logging.DEBUG)
    report = run_nightly(settings)
    assert report["sources"]["google"]["new"] == 4
    stored = b"".join(path.read_bytes() for path in settings.internal_db.parent.glob("plaudit.db*"))
    for secret in (REFRESH, SECRET, ACCESS):
        assert secret not in caplog.text and secret not in json.dumps(report)
        assert secret.encode() not in stored
        assert secret not in repr(settings) and secret not in str(settings.source("google"))


def test_a_nightly_sweep_stops_early_on_known_reviews(gbp, local_server, make_settings):
    gbp()
    settings = env_settings(make_settings, GBP_SOURCE.format(base=local_server.base), stop_after_known=2,
                            full_sweep_days=7)
    collect(settings, "google")
    before = len(local_server.requests_for(GBP_REVIEWS))
    result = collect(settings, "google")
    asked = local_server.requests_for(GBP_REVIEWS)[before:]
    assert len(asked) == 1 and "pageToken" not in asked[0].path  # page 1 only: its reviews were all known
    assert (result["sweep"], result["complete"], result["new"]) == ("incremental", False, 0)


def test_an_expired_refresh_token_fails_that_source_only(gbp, local_server, make_settings, tmp_path):
    gbp(env={"PLAUDIT_SOURCE_GOOGLE_REFRESH_TOKEN": "1//revoked", "PLAUDIT_SOURCE_GOOGLE_CLIENT_SECRET": SECRET})
    (tmp_path / "form.csv").write_text("Review,Rating\nKind and clear.,5\n", encoding="utf-8")
    other = '\n[[sources]]\nname = "form"\nkind = "csv"\npath = "form.csv"\n'
    settings = env_settings(make_settings, GBP_SOURCE.format(base=local_server.base) + other)
    report = run_nightly(settings)
    google = report["sources"]["google"]
    assert (google["status"], google["error_kind"]) == ("failed", "credentials")
    assert "invalid_grant" in google["error"] and "$PLAUDIT_SOURCE_GOOGLE_REFRESH_TOKEN" in google["error"]
    assert "1//revoked" not in google["error"]
    assert report["sources"]["form"]["status"] == "ok" and report["status"] == "partial"


def test_missing_credentials_say_where_to_put_them(local_server, make_settings):
    serve_gbp(local_server)
    result = collect(make_settings(GBP_SOURCE.format(base=local_server.base)), "google")
    assert result["error_kind"] == "credentials" and "$PLAUDIT_SOURCE_GOOGLE_CLIENT_SECRET" in result["error"]


def test_permission_denied_is_a_credentials_error_with_googles_reason(gbp, local_server, make_settings):
    gbp()
    local_server.route(GBP_REVIEWS, status=403, body=fixture("gbp-permission-denied.json"), headers=JSON)
    result = collect(env_settings(make_settings, GBP_SOURCE.format(base=local_server.base)), "google")
    assert result["error_kind"] == "credentials" and "PERMISSION_DENIED" in result["error"]


def test_a_page_token_refused_on_resume_restarts_the_sweep(gbp, local_server, make_settings):
    gbp()
    settings = env_settings(make_settings, GBP_SOURCE.format(base=local_server.base), max_pages=1)
    assert collect(settings, "google")["sweep_state"] == "continues next run"
    serve_gbp(local_server, pages=("gbp-reviews-1.json", "missing.json"))
    local_server.route_handler(GBP_REVIEWS, lambda request: (400, JSON, b'{"error": {"status": "INVALID_ARGUMENT"}}')
                               if "pageToken" in request.path else (200, JSON, fixture("gbp-reviews-1.json")))
    result = collect(settings, "google")
    assert result["status"] == "ok" and result["pages"] == 1  # page 1 again, within this run's budget


def test_a_bad_resource_name_is_refused_when_settings_load(make_settings):
    with pytest.raises(ConfigError, match="accounts/123/locations/456"):
        make_settings('[[sources]]\nname = "g"\nkind = "google_business_profile"\nresource = "locations/2"\n')


TRUSTPILOT = """
[[sources]]
name = "trustpilot"
kind = "trustpilot"
resource = "5f0c1d2e3a4b5c6d7e8f9012"
api_base = "{base}"
auth = {{ api_key_env = "TP_KEY_FOR_TESTS" }}
"""


def test_trustpilot_pages_newest_first_with_the_api_key_header(local_server, make_settings, monkeypatch):
    unit = "/v1/business-units/5f0c1d2e3a4b5c6d7e8f9012"
    local_server.route(unit, body=fixture("trustpilot-business-unit.json"), headers=JSON)
    local_server.route_handler(unit + "/reviews", lambda request: (200, JSON, fixture(
        "trustpilot-reviews-2.json" if "page=2" in request.path else "trustpilot-reviews-1.json")))
    monkeypatch.setenv("TP_KEY_FOR_TESTS", TP_KEY)
    settings = env_settings(make_settings, TRUSTPILOT.format(base=local_server.base))
    assert settings.source("trustpilot").policy == "summary_only"  # the default, per its terms
    result = collect(settings, "trustpilot")
    assert (result["new"], result["pages"], result["complete"]) == (3, 2, True)
    assert all(r.headers.get("apikey") == TP_KEY for r in local_server.requests_for(unit + "/reviews"))
    assert "orderBy=createdat.desc" in local_server.requests_for(unit + "/reviews")[0].path
    found = rows(settings, "trustpilot")
    assert found["64a1f0000000000000000001"]["title"] == "Finally someone listened"
    assert found["64a1f0000000000000000001"]["url"].startswith("https://www.trustpilot.com/reviews/")
    with steps.open_store(settings) as db:
        assert db.execute("SELECT stated_rating, stated_count FROM source_state").fetchone() == (4.4, 3)


YELP = """
[[sources]]
name = "yelp"
kind = "yelp"
resource = "example-pain-clinic-tampa"
api_base = "{base}"
"""


def serve_yelp(server) -> None:
    business = "/v3/businesses/example-pain-clinic-tampa"
    server.route(business, body=fixture("yelp-business.json"), headers=JSON)
    server.route(business + "/reviews", body=fixture("yelp-reviews.json"), headers=JSON)


def test_yelp_excerpts_are_summary_only_kept_a_day_and_never_a_complete_sweep(local_server, make_settings,
                                                                               monkeypatch):
    serve_yelp(local_server)
    monkeypatch.setenv("PLAUDIT_SOURCE_YELP_API_KEY", YELP_KEY)
    settings = env_settings(make_settings, YELP.format(base=local_server.base))
    config = settings.source("yelp")
    assert (config.policy, config.retention_hours) == ("summary_only", 24.0)
    assert config.public_link == "https://www.yelp.com/biz/example-pain-clinic-tampa"
    result = collect(settings, "yelp")
    assert (result["new"], result["complete"]) == (2, False)  # three excerpts are a sample, not the listing
    assert all(r["is_excerpt"] == 1 for r in rows(settings, "yelp").values())
    asked = local_server.requests_for("/v3/businesses/example-pain-clinic-tampa/reviews")[0]
    assert asked.headers.get("Authorization") == f"Bearer {YELP_KEY}"
    with steps.open_store(settings) as db:
        assert db.execute("SELECT stated_rating, stated_count FROM source_state").fetchone() == (4.5, 41)


def test_yelp_rejecting_the_key_is_a_credentials_error(local_server, make_settings, monkeypatch):
    serve_yelp(local_server)
    local_server.route("/v3/businesses/example-pain-clinic-tampa", status=401, headers=JSON,
                       body=fixture("yelp-token-invalid.json"))
    monkeypatch.setenv("PLAUDIT_SOURCE_YELP_API_KEY", YELP_KEY)
    result = collect(env_settings(make_settings, YELP.format(base=local_server.base)), "yelp")
    assert result["error_kind"] == "credentials" and "TOKEN_INVALID" in result["error"]
    assert YELP_KEY not in result["error"]


def test_google_places_is_refused_with_the_reason(make_settings):
    with pytest.raises(ConfigError, match="Places API terms forbid storing"):
        make_settings('[[sources]]\nname = "p"\nkind = "google_places"\nresource = "ChIJ"\n')


def test_unknown_auth_keys_are_refused(make_settings):
    with pytest.raises(ConfigError, match="unknown auth key 'token'"):
        make_settings(YELP.format(base="http://127.0.0.1:9") + 'auth = { token = "x" }\n')


def test_a_secret_in_the_file_is_used_but_the_environment_wins(make_settings, monkeypatch):
    toml = YELP.format(base="http://127.0.0.1:9") + 'auth = { api_key = "from-file" }\n'
    assert make_settings(toml).source("yelp").auth["api_key"].reveal() == "from-file"
    monkeypatch.setenv("PLAUDIT_SOURCE_YELP_API_KEY", "from-env")
    chosen = env_settings(make_settings, toml).source("yelp").auth["api_key"]
    assert chosen.reveal() == "from-env" and "from-env" not in repr(chosen) and "$PLAUDIT_SOURCE_YELP" in repr(chosen)
