"""No patient text where it does not belong: a canary planted in reviews must not reach any log, run report,
Prefect artifact or Prefect's database (COMPLIANCE.md §1: keep patient details out of logs and Prefect state)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from pipeline.settings import load_settings
from pipeline.steps import open_store
from tests.localserver import Response

pytestmark = pytest.mark.flow
CANARY = "Zq7canaryXv"
CSV = (
    '"Entry Id","Entry Date","Name (First)","Name (Last)","Email","Phone","Rating","Tell us about your visit","Consent"\n'
    f'"1","2026-11-02 09:14:03","{CANARY}","Rogers","{CANARY.lower()}@example.com","813-555-0101","5",'
    f'"The staff were wonderful and kind, {CANARY} says thanks!","Checked"\n'
    f'"2","2026-11-02 09:15:03","Ann","Lee","ann@example.com","","1","{CANARY} waited two hours and left."\n'
    f'"3","not a date","Bo","{CANARY}","bo@example.com","","x","<script>{CANARY}</script> Lovely nurses.","Checked"\n'
)
PAGE = f"""<html><head><script type="application/ld+json">
{{"@type": "MedicalClinic", "name": "Clinic", "review": [
 {{"@type": "Review", "author": {{"@type": "Person", "name": "{CANARY} Smith"}},
   "reviewRating": {{"ratingValue": "5"}}, "reviewBody": "Kind nurses. Ask {CANARY} about it."}},
 {{"@type": "Review", "author": "Broken", "reviewBody": 42}} ]}}
</script><script type="application/ld+json">{{"broken": "{CANARY}" </script></head><body></body></html>"""
CONFIG = """
[plaudit]
data_dir = "data"
allow_private_addresses = true
http_delay_seconds = 0.0
log_level = "DEBUG"

[[sources]]
name = "form"
kind = "csv"
path = "form.csv"
preset = "gravityforms"
columns = {{ text = "Tell us about your visit", rating = "Rating", consent = "Consent" }}

[[sources]]
name = "directory"
kind = "schema_org"
url = "{base}/reviews"

[[sources]]
name = "flaky"
kind = "schema_org"
url = "{base}/flaky"
"""


def prefect_database() -> list[Path]:
    from prefect.settings import get_current_settings

    url = str(get_current_settings().server.database.connection_url.get_secret_value())
    path = Path(url.split("///", 1)[1])
    return [p for p in (path, Path(f"{path}-wal")) if p.exists()]


def test_canary_never_reaches_logs_reports_or_prefect(prefect_harness, local_server, tmp_path, caplog, capfd):
    from prefect.client.orchestration import get_client

    from flows.nightly import run_flow
    from pipeline.publish import decisions

    local_server.route("/reviews", body=PAGE.encode(), headers={"Content-Type": "text/html"})
    local_server.route_sequence("/flaky", [Response(503, f"{CANARY} error page".encode())])
    (tmp_path / "form.csv").write_text(CSV)
    (tmp_path / "plaudit.toml").write_text(CONFIG.format(base=local_server.base))
    settings = load_settings(tmp_path / "plaudit.toml", env={})
    caplog.set_level(logging.DEBUG)
    report = run_flow(settings)
    assert report["sources"]["form"]["new"] == 2 and report["sources"]["form"]["skipped"] == 1 and report["sources"]["flaky"]["status"] == "failed"

    with open_store(settings) as db:
        assert db.execute("SELECT count(*) FROM reviews WHERE text LIKE ?", (f"%{CANARY}%",)).fetchone()[0] >= 2
        quote = db.execute("SELECT q.id FROM quotes q JOIN reviews r ON r.id = q.review_id "
                           "WHERE r.external_id = '1'").fetchone()[0]
        decisions.approve(db, settings, quote, "amy")
        decisions.revoke(db, settings, quote, "amy")
        reports = [row[0] for row in db.execute("SELECT report FROM runs")]
        audit_rows = [json.dumps(row) for row in db.execute("SELECT * FROM audit_log")]

    with get_client(sync_client=True) as client:
        artifacts = [json.dumps(a.data) + (a.description or "") for a in client.read_artifacts()]
    assert artifacts, "the run left no artifacts to check"
    out, err = capfd.readouterr()
    places = {"log records": "\n".join(r.getMessage() + str(r.exc_text or "") for r in caplog.records),
              "console": out + err, "run reports": "\n".join(reports), "audit log": "\n".join(audit_rows),
              "artifacts": "\n".join(artifacts)}
    for name, text in places.items():
        assert CANARY not in text and CANARY.lower() not in text, f"canary found in {name}"
    for path in prefect_database():
        assert CANARY.encode() not in path.read_bytes(), f"canary found in {path}"
