"""The public app never opens the internal store: `plaudit serve public` keeps serving everything, and notices a
new publish, while the internal store is unreadable (chmod 000), and it never tries to open it.

Tests here may run as root, where chmod 000 does not stop a read. So the proof does not rest on the chmod:
the server runs under a Python audit hook that logs every `open` and `sqlite3.connect` of a path in the
internal store's folder (transient opens included), and its open file descriptors are read from
/proc/<pid>/fd after every route was used. Both must show nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from pipeline.runs import run_nightly
from pipeline.sources.hosted_form import consent_version
from pipeline.steps import open_store
from plaudit.demo import approve_some
from plaudit.staff import decide
from storage import quotes as quote_store
from storage.public import read_public_store
from tests.test_pipeline_e2e import demo_settings

HOOKED_CLI = """
import sys
secret, log = sys.argv[1], open(sys.argv[2], "a", buffering=1)

def hook(event, args):
    if event in ("open", "sqlite3.connect") and args:
        target = args[0].decode(errors="replace") if isinstance(args[0], bytes) else args[0]
        if isinstance(target, str) and (secret in target or target.endswith("inbox.db")):
            log.write(f"{event} {target}\\n")

sys.addaudithook(hook)
from plaudit.cli import main
sys.exit(main(sys.argv[3:]))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(base + "/openapi.json", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"plaudit serve public did not start: {process.stderr.read() if process.stderr else ''}")


def use_every_route(base: str, settings) -> dict[str, int]:
    statuses = {path: requests.get(base + path, timeout=10).status_code
                for path in ("/v1/testimonials?limit=2", "/v1/summary", "/openapi.json", "/widget.js",
                             "/embed?layout=carousel", "/example.html", "/review", "/review/thanks",
                             "/static/form.css")}
    sent = requests.post(base + "/review", allow_redirects=False, timeout=10, data={
        "text": "Kind nurses and a short wait.", "rating": "5", "consent": "yes",
        "consent_version": consent_version(settings.review_consent_text)})
    statuses["POST /review"] = sent.status_code
    return statuses


def test_the_public_app_serves_everything_without_the_internal_store(local_server, tmp_path):
    settings = demo_settings(local_server, tmp_path, lambda text: text.replace(
        '[plaudit]\n', '[plaudit]\ninternal_db = "secret/plaudit.db"\n', 1))
    run_nightly(settings)
    assert approve_some(settings.config_path)
    secret = settings.internal_db.parent
    assert secret != settings.public_db.parent and settings.internal_db.exists()
    log = tmp_path / "opens.log"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    os.chmod(settings.internal_db, 0)
    os.chmod(secret, 0)
    server = subprocess.Popen([sys.executable, "-c", HOOKED_CLI, str(secret), str(log), "--config",
                               str(settings.config_path), "serve", "public", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(base, server)
        statuses = use_every_route(base, settings)
        assert statuses == {**{path: 200 for path in statuses}, "POST /review": 303}, statuses
        before = requests.get(base + "/v1/testimonials", timeout=10).json()["testimonials"]

        os.chmod(secret, 0o700)  # the pipeline (not the app) publishes again: one quote less
        os.chmod(settings.internal_db, 0o600)
        with open_store(settings) as db:
            first = quote_store.quotes_with_reviews(db, ("approved",))[0]["id"]
        assert decide(settings, "unpublish", first, "amy") == 0
        os.chmod(settings.internal_db, 0)
        os.chmod(secret, 0)

        after = requests.get(base + "/v1/testimonials", timeout=10).json()["testimonials"]
        assert len(after) == len(before) - 1 == len(read_public_store(settings.public_db)["testimonials"])
        open_files = [os.readlink(f"/proc/{server.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{server.pid}/fd")]
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.chmod(secret, 0o700)
        os.chmod(settings.internal_db, 0o600)
    assert not [path for path in open_files if str(secret) in path], open_files
    opened = log.read_text().splitlines()
    assert not [line for line in opened if str(secret) in line], "the public app opened the internal store:\n" + "\n".join(opened)
    # The two witnesses do see what the app opens: the inbox, written by the review form.
    assert "sqlite3.connect " + str(settings.inbox_db) in opened
    assert str(settings.inbox_db) in open_files


@pytest.mark.skipif(os.geteuid() == 0, reason="as root, chmod 000 does not stop a read (the audit-hook test above "
                                               "is the proof there)")
def test_as_a_normal_user_the_internal_store_is_really_unreadable(tmp_path):
    secret = tmp_path / "secret.db"
    secret.write_bytes(b"x")
    os.chmod(secret, 0)
    with pytest.raises(PermissionError):
        Path(secret).read_bytes()
