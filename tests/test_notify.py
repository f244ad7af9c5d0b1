"""Notices reach webhooks and mailboxes with counts only, and a broken notifier never raises."""

import json
import socket

import pytest
from aiosmtpd.controller import Controller

from pipeline.ops.notify import attention_notice, digest, failure_notice, notify_run, send_failure_notice

RUN = {"run_id": 7, "status": "failed", "stage_errors": {"score": "ParseError: x"},
       "sources": {"form": {"status": "failed", "error": "SourceUnavailable: ...", "new": 0},
                   "site": {"status": "ok", "new": 3}},
       "score": {"scored": 3, "positive": 2, "neutral": 1, "negative": 0},
       "hold": {"new_crisis": 1, "needs_attention": 4, "crisis_open": 2}}


def test_failure_notice_holds_statuses_only_and_a_slack_text_line():
    notice = failure_notice(RUN)
    assert {k: v for k, v in notice.items() if k != "text"} == {
        "event": "plaudit.run.failed", "run_id": 7, "status": "failed",
        "sources": {"form": "failed", "site": "ok"}, "stage_errors": ["score"]}
    assert notice["text"] == ("Plaudit: nightly run 7 failed; sources failed: form; stages failed: score. "
                              "See `plaudit status`.")


def test_digest_puts_crisis_first_and_counts_only():
    body = digest(RUN, {"suggested": 5, "held_back": 1}, "https://staff.example/")
    lines = body["text"].splitlines()
    assert lines[0] == "Plaudit daily digest" and lines[1].startswith("2 review(s) with crisis language")
    assert "3 new review(s) last night (2 positive, 1 neutral, 0 negative)." in lines
    assert "5 suggested quote(s) wait for a decision; 1 approved quote(s) are held back from the website." in lines
    assert lines[-1] == "Staff app: https://staff.example/"


def test_notice_is_posted_to_the_webhook(local_server):
    received = []

    def handler(request):
        received.append(request)
        return 204, {}, b""

    local_server.route_handler("/hook", handler)
    assert send_failure_notice(local_server.url("/hook"), RUN) is True
    assert received and received[0].method == "POST"
    assert json.loads(received[0].body) == failure_notice(RUN)


def test_unreachable_or_failing_webhook_is_reported_not_raised(local_server):
    local_server.route("/broken", status=500)
    assert send_failure_notice(local_server.url("/broken"), RUN) is False
    assert send_failure_notice("http://127.0.0.1:9/nothing-listens-here", RUN) is False
    assert send_failure_notice("", RUN) is False


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port: aiosmtpd checks readiness by connecting, so 0 will not do
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def test_failure_attention_and_digest_go_by_email_and_webhook(smtp_server, local_server, make_settings):
    controller, inbox = smtp_server
    posted = []
    local_server.route_handler("/hook", lambda request: (posted.append(json.loads(request.body)), (204, {}, b""))[1])
    settings = make_settings(notify_email=("manager@clinic.example", "nurse@clinic.example"), smtp_host="127.0.0.1",
                             smtp_port=controller.port, smtp_security="none",
                             notify_webhook=local_server.url("/hook"), digest_webhook=local_server.url("/hook"))
    sent = notify_run(settings, RUN, {"suggested": 5, "held_back": 1})
    assert sent == {"failure": 2, "attention": 2, "digest": 2}
    assert [p["event"] for p in posted] == ["plaudit.run.failed", "plaudit.attention", "plaudit.digest"]
    subjects = [next(line for line in body.splitlines() if line.startswith("Subject:")) for _, body in inbox.messages]
    assert subjects == ["Subject: Plaudit: run failed", "Subject: Plaudit: reviews need a person",
                        "Subject: Plaudit: daily digest"]
    assert inbox.messages[0][0] == ["manager@clinic.example", "nurse@clinic.example"]


def test_an_unreachable_mail_server_is_reported_not_raised(make_settings):
    settings = make_settings(notify_email=("m@clinic.example",), smtp_host="127.0.0.1", smtp_port=9,
                             smtp_security="none")
    assert notify_run(settings, RUN, {"suggested": 0, "held_back": 0}) == {"failure": 0, "attention": 0, "digest": 0}


def test_no_notice_when_nothing_new_is_held():
    assert attention_notice({"hold": {"needs_attention": 3, "crisis_open": 0}}) is None
