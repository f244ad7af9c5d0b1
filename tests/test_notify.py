"""Failure notices reach a webhook with counts only, and a broken webhook never raises."""

import json

from pipeline.ops.notify import failure_notice, send_failure_notice

RUN = {"run_id": 7, "status": "failed", "stage_errors": {"score": "ParseError: x"},
       "sources": {"form": {"status": "failed", "error": "SourceUnavailable: ..."}, "site": {"status": "ok"}}}


def test_notice_holds_statuses_only():
    assert failure_notice(RUN) == {"event": "plaudit.run.failed", "run_id": 7, "status": "failed",
                                   "sources": {"form": "failed", "site": "ok"}, "stage_errors": ["score"]}


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
    assert json.dumps(failure_notice(RUN))  # serialisable
