"""Roles and the permissions each grants: one table that the command line and the staff app both consult.

- viewer: reads everything staff see, changes nothing;
- approver: decides on quotes (excerpt, approve, reject, unpublish) and records or revokes authorizations;
- clinician: reads, and signs off health-outcome claims (the only role that may);
- admin: manages accounts; decides on quotes like an approver only where the setting `staff_admin_decides`
  says so (separation of duties by default; a small practice with few people may turn it on).
"""

from __future__ import annotations

ROLES = ("viewer", "approver", "clinician", "admin")

PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "own_account": frozenset(ROLES),  # one's own session and second factor
    "decide": frozenset({"approver"}),
    "authorize": frozenset({"approver"}),
    "clinician_sign_off": frozenset({"clinician"}),
    "manage_users": frozenset({"admin"}),
}


ADMIN_MAY_DECIDE = frozenset({"decide", "authorize"})


def allowed(role: str, permission: str, admin_decides: bool = False) -> bool:
    """Whether a role grants a permission (unknown permissions are granted to nobody); `admin_decides` is the
    `staff_admin_decides` setting."""
    if role == "admin" and admin_decides and permission in ADMIN_MAY_DECIDE:
        return True
    return role in PERMISSIONS.get(permission, frozenset())


def roles_with(permission: str) -> tuple[str, ...]:
    """The roles that grant a permission, in ROLES order."""
    return tuple(r for r in ROLES if allowed(r, permission))
