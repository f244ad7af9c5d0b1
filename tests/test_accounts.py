"""Staff accounts over a real store: passwords, lockout with backoff, sessions and their timeouts, TOTP."""

from __future__ import annotations

import pyotp
import pytest

from pipeline.accounts import lockout, sessions, totp
from pipeline.accounts.passwords import WeakPassword
from pipeline.accounts.roles import allowed, roles_with
from pipeline.accounts.users import AccountError, add_user, authenticate, disable_user, reset_password
from storage import audit
from storage import users as user_store

PASSWORD = "correct horse battery staple"


@pytest.fixture
def settings(make_settings):
    return make_settings(staff_lockout_after=3, staff_lockout_client_after=5, staff_lockout_seconds=10.0,
                         staff_idle_minutes=15.0, staff_session_hours=12.0)


def test_passwords_are_argon2_hashed_and_checked(fresh_db, settings):
    add_user(fresh_db, "amy", "admin", PASSWORD, "setup")
    stored = user_store.user_by_name(fresh_db, "amy")["password_hash"]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert authenticate(fresh_db, settings, "amy", PASSWORD, "1.2.3.4", 0.0).user["name"] == "amy"
    assert authenticate(fresh_db, settings, "amy", PASSWORD + "x", "1.2.3.4", 0.0).user is None


@pytest.mark.parametrize("name, role, password, problem", [
    ("amy", "admin", "short", WeakPassword), ("amy", "admin", "amy-is-my-password", WeakPassword),
    ("amy", "owner", PASSWORD, AccountError), ("<b>amy</b>", "admin", PASSWORD, AccountError)])
def test_bad_accounts_are_refused(fresh_db, name, role, password, problem):
    with pytest.raises(problem):
        add_user(fresh_db, name, role, password, "setup")
    assert user_store.list_users(fresh_db) == []


def test_lockout_backs_off_per_account_and_says_nothing_about_the_account(fresh_db, settings):
    add_user(fresh_db, "amy", "admin", PASSWORD, "setup")
    for attempt in range(3):
        assert authenticate(fresh_db, settings, "amy", "wrong", "1.1.1.1", 100.0 + attempt).user is None
    locked = authenticate(fresh_db, settings, "amy", PASSWORD, "2.2.2.2", 103.0)
    assert locked.user is None and 0 < locked.retry_after <= 10
    assert authenticate(fresh_db, settings, "amy", PASSWORD, "2.2.2.2", 113.0).user is not None  # lock over
    unknown = authenticate(fresh_db, settings, "nobody", "wrong", "3.3.3.3", 200.0)
    assert unknown.message == authenticate(fresh_db, settings, "amy", "wrong", "3.3.3.3", 201.0).message
    assert [lockout.lock_seconds(n, 3, 10.0) for n in (2, 3, 4, 5, 30)] == [0.0, 10.0, 20.0, 40.0, 3600.0]


def test_lockout_per_client_covers_every_account_name(fresh_db, settings):
    add_user(fresh_db, "amy", "admin", PASSWORD, "setup")
    for n in range(5):
        authenticate(fresh_db, settings, f"guess{n}", "wrong", "6.6.6.6", 50.0)
    assert authenticate(fresh_db, settings, "amy", PASSWORD, "6.6.6.6", 51.0).user is None
    assert authenticate(fresh_db, settings, "amy", PASSWORD, "7.7.7.7", 51.0).user is not None


def test_sessions_end_after_idle_time_and_lifetime(fresh_db, settings):
    user_id = add_user(fresh_db, "amy", "admin", PASSWORD, "setup")
    token = sessions.start(fresh_db, user_id, "full", 1000.0)
    assert sessions.load(fresh_db, settings, token, 1000.0 + 14 * 60)[0].name == "amy"
    assert sessions.load(fresh_db, settings, token, 1000.0 + 14 * 60 + 16 * 60) == (None, "idle")
    token = sessions.start(fresh_db, user_id, "full", 0.0)
    for minute in range(0, 12 * 60, 10):  # active all day long
        assert sessions.load(fresh_db, settings, token, minute * 60.0)[0] is not None
    assert sessions.load(fresh_db, settings, token, 12 * 3600.0 + 60) == (None, "expired")


def test_cookie_signature_and_rotation(fresh_db, settings, tmp_path):
    key = sessions.signing_key(settings)
    assert sessions.signing_key(settings) == key and (settings.data_dir / sessions.KEY_FILE).stat().st_mode & 0o77 == 0
    user_id = add_user(fresh_db, "amy", "admin", PASSWORD, "setup")
    first = sessions.start(fresh_db, user_id, "totp", 0.0)
    value = sessions.cookie_value(key, first)
    assert sessions.token_from_cookie(key, value) == first
    assert sessions.token_from_cookie(key, value[:-1] + ("0" if value[-1] != "0" else "1")) is None
    second = sessions.start(fresh_db, user_id, "full", 1.0, replaces=sessions.digest_of(first))
    assert sessions.load(fresh_db, settings, first, 2.0)[0] is None
    assert sessions.load(fresh_db, settings, second, 2.0)[0].stage == "full"


def test_disable_and_reset_end_sessions_and_are_audited(fresh_db, settings):
    user_id = add_user(fresh_db, "ann", "approver", PASSWORD, "amy")
    token = sessions.start(fresh_db, user_id, "full", 0.0)
    reset_password(fresh_db, "ann", "another long password", "amy")
    assert sessions.load(fresh_db, settings, token, 1.0)[0] is None
    token = sessions.start(fresh_db, user_id, "full", 0.0)
    disable_user(fresh_db, "ann", "amy")
    assert sessions.load(fresh_db, settings, token, 1.0)[0] is None
    assert authenticate(fresh_db, settings, "ann", "another long password", "1.1.1.1", 5.0).user is None
    actions = [e["action"] for e in audit.entries(fresh_db)]
    assert {"user_add", "user_reset_password", "user_disable", "login_failed"} <= set(actions)
    assert audit.verify_chain(fresh_db) == []


def test_totp_enrolment_needs_a_matching_code(fresh_db):
    user_id = add_user(fresh_db, "amy", "admin", PASSWORD, "setup")
    secret = totp.start_enrolment(fresh_db, user_id)
    assert not totp.confirm_enrolment(fresh_db, user_id, "amy", "000000" if pyotp.TOTP(secret).now() != "000000"
                                      else "111111")
    assert user_store.user_by_id(fresh_db, user_id)["totp_secret"] is None
    assert totp.confirm_enrolment(fresh_db, user_id, "amy", pyotp.TOTP(secret).now())
    assert user_store.user_by_id(fresh_db, user_id)["totp_secret"] == secret
    svg = totp.qr_svg(totp.provisioning_uri(secret, "amy"))
    assert svg.startswith(b"<?xml") and b"<script" not in svg and b"style=" not in svg


def test_roles_grant_only_their_permissions():
    assert roles_with("clinician_sign_off") == ("clinician",)
    assert roles_with("manage_users") == ("admin",)
    assert not any(allowed("viewer", p) for p in ("decide", "authorize", "clinician_sign_off", "manage_users"))
    assert not allowed("approver", "no-such-permission")


def test_admins_decide_only_where_the_practice_allows_it():
    assert not allowed("admin", "decide") and not allowed("admin", "authorize")
    assert allowed("admin", "decide", admin_decides=True) and allowed("admin", "authorize", admin_decides=True)
    assert not allowed("admin", "clinician_sign_off", admin_decides=True)


def test_the_nightly_retention_ends_sessions_nobody_signed_out_of(tmp_path):
    """A browser closed without signing out leaves a session row; the retention stage removes it once stale."""
    import time

    from pipeline import steps
    from tests.publicdata import public_settings

    settings = public_settings(tmp_path)
    with steps.open_store(settings) as db:
        user_id = add_user(db, "amy", "admin", PASSWORD, "setup")
        now = time.time()
        abandoned = sessions.start(db, user_id, "full", now - 2 * 3600)  # idle for two hours
        current = sessions.start(db, user_id, "full", now - 60)
    assert steps.apply_retention(settings)["staff_sessions_ended"] == 1
    with steps.open_store(settings) as db:
        assert user_store.session(db, sessions.digest_of(abandoned)) is None
        assert user_store.session(db, sessions.digest_of(current)) is not None
