"""Staff accounts: roles and what each may do, passwords (argon2), TOTP, login lockout, sessions.

The command line (`plaudit users`) and the staff web app call these same functions; the web app adds only
cookies and pages. Settings: `staff_idle_minutes`, `staff_session_hours`, `staff_totp_required`,
`staff_lockout_after`, `staff_lockout_client_after`, `staff_lockout_seconds`.
"""
