"""The two web apps, thin ASGI layers over `pipeline` and `storage`.

- `web.staff`: the staff app, where quotes are reviewed, excerpted, authorized and approved;
- `web.public`: what the website reads (JSON API, widget, hosted review form), from the public store only.

Nothing in `pipeline` or `storage` imports this package.
"""
