"""`plaudit users` and `plaudit serve staff` from the command line, over a real store."""

from __future__ import annotations

import io

import pytest

from plaudit.cli import main
from plaudit.demo import DEMO_ADMIN, ensure_demo_admin
from plaudit.serve import check_bind, is_loopback
from pipeline.settings import load_settings
from pipeline.steps import open_store
from storage import audit
from storage import users as user_store


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "plaudit.toml"
    path.write_text("[plaudit]\ndata_dir = \"data\"\n")
    return ["--config", str(path)]


def test_users_add_list_disable_reset(config, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(config + ["users", "add", "amy", "--role", "admin", "--password-stdin", "--by", "owner"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(config + ["users", "add", "bob", "--role", "viewer", "--password-stdin"]) == 2
    assert "at least 12 characters" in capsys.readouterr().err
    assert main(config + ["users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "amy" in listed and "admin" in listed and "bob" not in listed
    monkeypatch.setattr("sys.stdin", io.StringIO("another long password\n"))
    assert main(config + ["users", "reset-password", "amy", "--password-stdin", "--reset-totp", "--by", "owner"]) == 0
    assert main(config + ["users", "disable", "amy", "--by", "owner"]) == 0
    assert main(config + ["users", "disable", "nobody"]) == 2
    settings = load_settings(config[1], env={})
    with open_store(settings) as db:
        assert user_store.user_by_name(db, "amy")["disabled_at"]
        assert [(e["actor"], e["action"]) for e in reversed(audit.entries(db))] == [
            ("owner", "user_add"), ("owner", "user_reset_password"), ("owner", "user_disable")]


def test_users_add_needs_a_known_role(config, capsys):
    with pytest.raises(SystemExit):
        main(config + ["users", "add", "amy", "--role", "owner"])
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("0.0.0.0", False), ("192.168.1.5", False), ("staff.example", False)])
def test_only_loopback_is_served_without_allow_remote(host, loopback):
    err = io.StringIO()
    assert is_loopback(host) is loopback
    assert check_bind(host, False, err) is loopback
    assert check_bind(host, True, err)
    assert ("HTTPS" in err.getvalue()) is not loopback


def test_serve_staff_refuses_a_public_address(config, capsys):
    assert main(config + ["serve", "staff", "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_demo_admin_is_created_once_with_a_printed_password(tmp_path):
    settings = load_settings(None, env={}, data_dir=str(tmp_path))
    password = ensure_demo_admin(settings)
    assert password and len(password) >= 12
    assert ensure_demo_admin(settings) is None
    with open_store(settings) as db:
        assert password not in user_store.user_by_name(db, DEMO_ADMIN)["password_hash"]
