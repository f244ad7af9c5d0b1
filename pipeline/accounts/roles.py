"""Roles and the permissions each grants: one table that the command line and the staff app both consult.

- viewer: reads everything staff see, changes nothing;
- approver: decides on quotes (excerpt, approve, reject, unpublish) and records or revokes authorizations;
- clinician: reads, and signs off health-outcome claims (the only role that may);
- admin: manages accounts, and may decide on quotes like an approver (a small practice has few people).
"""

from __future__ import annotations

ROLES = ("viewer", "approver", "clinician", "admin")

PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "own_account": frozenset(ROLES),  # one's own session and second factor
    "decide": frozenset({"approver", "admin"}),
    "authorize": frozenset({"approver", "admin"}),
    "clinician_sign_off": frozenset({"clinician"}),
    "manage_users": frozenset({"admin"}),
}


def allowed(role: str, permission: str) -> bool:
    """Whether a role grants a permission (unknown permissions are granted to nobody)."""
    return role in PERMISSIONS.get(permission, frozenset())


def roles_with(permission: str) -> tuple[str, ...]:
    """The roles that grant a permission, in ROLES order."""
    return tuple(r for r in ROLES if allowed(r, permission))
