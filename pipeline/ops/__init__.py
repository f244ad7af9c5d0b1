"""Operating Plaudit: telling people what a run did and what needs them (notifications, counts only).

Takes: a run's report. Gives: notices to the configured channels, never carrying review text or patient details.
Settings: `notify_webhook`.
"""
