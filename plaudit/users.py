"""`plaudit users`: add, list, disable, reset-password, over `pipeline.accounts.users`."""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from pipeline.accounts.passwords import WeakPassword
from pipeline.accounts.users import AccountError, add_user, disable_user, reset_password
from pipeline.settings import Settings
from pipeline.steps import open_store
from storage import users as user_store

EXIT_OK, EXIT_REFUSED = 0, 2


def read_password(from_stdin: bool) -> str:
    """A new password: one line of stdin (scripts), or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise AccountError("the two passwords differ")
    return first


def users_command(settings: Settings, action: str, name: str | None, actor: str, out: TextIO, *,
                  role: str = "", password_stdin: bool = False, reset_totp: bool = False) -> int:
    """Run one `plaudit users` action and print what happened."""
    with open_store(settings) as db:
        try:
            if action == "list":
                return _print_users(db, out)
            if action == "add":
                add_user(db, name, role, read_password(password_stdin), actor)
                print(f"user {name} added with role {role}", file=out)
            elif action == "disable":
                disable_user(db, name, actor)
                print(f"user {name} disabled; their sessions ended", file=out)
            else:
                reset_password(db, name, read_password(password_stdin), actor, reset_totp)
                print(f"password of {name} reset{' and second factor cleared' if reset_totp else ''}", file=out)
        except (AccountError, WeakPassword) as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return EXIT_REFUSED
    return EXIT_OK


def _print_users(db, out: TextIO) -> int:
    users = user_store.list_users(db)
    if not users:
        print("no users yet: plaudit users add NAME --role admin", file=out)
    for user in users:
        state = f"disabled {user['disabled_at']}" if user["disabled_at"] else "active"
        print(f"{user['name']:<24} {user['role']:<10} totp {'on ' if user['totp'] else 'off'}  {state}", file=out)
    return EXIT_OK
