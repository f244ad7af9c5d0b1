"""`plaudit demo`: the whole system on bundled demo sources, served from 127.0.0.1 by a throwaway web server.

It writes a config into the demo data folder, runs one nightly flow, approves a few quotes through the same
functions the `plaudit approve` command uses, and prints what was published and where. Running it again stores nothing twice.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import secrets
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from pipeline.accounts.users import add_user
from pipeline.publish.decisions import Approval
from pipeline.settings import load_settings
from pipeline.steps import open_store
from plaudit.running import run_once
from plaudit.serve import PUBLIC_PORT
from plaudit.staff import decide, format_report
from storage import quotes as quote_store
from storage import users as user_store

DEMO_DATA = Path(__file__).parent / "demo_data"
DEMO_AUTHORIZATION = "signed-authorization-2026-0142"  # stands for a scanned, signed form on file

_CONFIG = """# Written by `plaudit demo`. Sources are served from 127.0.0.1 by the demo's own web server.
[plaudit]
data_dir = "."
practice_name = "Sunrise Pain & Wellness"
allow_private_addresses = true   # the demo's listing pages live on 127.0.0.1
http_delay_seconds = 0.1
user_agent = "PlauditBot/0.1 demo (+https://github.com/plaudit/plaudit)"
staff_admin_decides = true       # one demo login does everything; a real practice separates the roles

[[locations]]
id = "tampa"
name = "Tampa clinic"

[[sources]]
name = "review-form"
kind = "csv"
label = "Patient feedback form"
path = "exports/review-form-*.csv"
preset = "gravityforms"
consent_version = "consent-2026-01"
location = "tampa"
policy = "publish"

[[sources]]
name = "health-directory"
kind = "schema_org"
label = "Health Directory"
url = "{base}/directory/sunrise-pain.html"
listing_url = "https://directory.example.com/sunrise-pain"
location = "tampa"
policy = "publish"

[[sources]]
name = "website"
kind = "selectors"
label = "Our website"
url = "{base}/testimonials.html"
listing_url = "https://sunrise-pain.example/testimonials"
location = "tampa"
policy = "publish"
selectors = {{ item = ".testimonial", text = "blockquote", author = ".who", id = "@id" }}

# Reviews sent through the hosted review form of `plaudit serve public` (its inbox).
[[sources]]
name = "hosted-form"
kind = "inbox"
label = "Review form on our website"
location = "tampa"
policy = "publish"
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def serve_demo_site() -> Iterator[str]:
    """Serve the bundled listing pages on 127.0.0.1 for the duration of the block; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(DEMO_DATA / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def prepare(data_dir: Path, base_url: str) -> Path:
    """Copy the demo form export and write the demo config; returns the config path."""
    exports = data_dir / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    for csv_file in (DEMO_DATA / "forms").glob("*.csv"):
        shutil.copyfile(csv_file, exports / csv_file.name)
    config = data_dir / "plaudit.toml"
    config.write_text(_CONFIG.format(base=base_url), encoding="utf-8")
    return config


def approve_some(config: Path) -> list[int]:
    """Approve consented form quotes and one directory quote with a signed authorization, as `plaudit approve`."""
    settings = load_settings(config)
    with open_store(settings) as db:
        if quote_store.quotes_with_reviews(db, ("approved",)):
            return []  # decided in an earlier demo run; a rerun changes nothing
        waiting = quote_store.quotes_with_reviews(db, ("suggested",))
    waiting.sort(key=lambda q: -(q["compound"] or 0))  # the warmest first, as staff would pick
    forms = [q for q in waiting if q["source"] == "review-form" and q["consent_given"] == 1][:3]
    listed = [q for q in waiting if q["source"] == "health-directory"][:1]
    approved = []
    for quote in forms + listed:
        approval = Approval(authorization_ref=DEMO_AUTHORIZATION if quote in listed else None)
        if decide(settings, "approve", quote["id"], "demo-approver", approval=approval) == 0:
            approved.append(quote["id"])
    return approved


def run_demo(data_dir: Path, use_prefect: bool = True, serve: bool = False) -> int:
    """Run the demo end to end and print where the results are; `serve` keeps the listing pages up afterwards."""
    data_dir = data_dir.resolve()
    with serve_demo_site() as base_url:
        config = prepare(data_dir, base_url)
        settings = load_settings(config)
        report = run_once(settings, use_prefect=use_prefect, trigger="demo")
        print(format_report(report))
        approved = approve_some(config)
        print_outcome(settings, approved)
        password = ensure_demo_admin(settings)
        if serve:
            print_staff_app(settings, password)
            print_widget_hint(settings)
            keep_serving(base_url, settings)
    if not serve:
        print(f"\nnote: the demo's listing pages were served from 127.0.0.1 only while it ran, so "
              f"`plaudit --config {settings.config_path} run` now reports the two listing sources as unavailable; "
              f"`plaudit demo --serve` keeps them served for further runs.")
        print_staff_app(settings, password)
        print_widget_hint(settings)
    return 0 if report["status"] in ("ok", "partial") else 1


def keep_serving(base_url: str, settings) -> None:
    """Keep the listing pages served until Ctrl-C, so the demo configuration can be run again."""
    print(f"\nserving the demo's listing pages at {base_url} until you press Ctrl-C; in another terminal:\n"
          f"  plaudit --config {settings.config_path} run")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nstopped serving the demo's listing pages")


def print_outcome(settings, approved: list[int]) -> None:
    """Show what the website will now read."""
    published = json.loads((settings.export_dir / "testimonials.json").read_text(encoding="utf-8"))
    summary = json.loads((settings.export_dir / "summary.json").read_text(encoding="utf-8"))
    print(f"\napproved in this demo run: {approved or 'none (already decided in an earlier run)'}")
    print(f"{published['label']}: {len(published['testimonials'])} published")
    for item in published["testimonials"]:
        print(f"  “{item['excerpt']}” — {item['attribution']} ({item['source_label']})")
    print(f"all reviews: {summary['total_reviews']} distinct, average {summary['average_rating']} "
          f"from {summary['rated_reviews']} ratings")
    print(f"\npublic store:  {settings.public_db}\nstatic export: {settings.export_dir}/"
          f"{{testimonials.json,summary.json,testimonials.html,widget.js,example.html}}\nconfig:        {settings.config_path}\n"
          f"next: plaudit --config {settings.config_path} queue")


def print_widget_hint(settings) -> None:
    """How to see the widget on the demo data, with the public app or from the static export alone."""
    print(f"\nwidget:        .venv/bin/plaudit --config {settings.config_path} serve public\n"
          f"               then open http://127.0.0.1:{PUBLIC_PORT}/example.html (a sample page; /embed is the "
          f"iframe page, /review the review form, whose reviews reach the queue after the next run)\n"
          f"               or, with no app running: python3 -m http.server 8200 -d {settings.export_dir} "
          f"and open http://127.0.0.1:8200/example.html")


DEMO_ADMIN = "demo-admin"


def ensure_demo_admin(settings) -> str | None:
    """Create the demo's admin account with a fresh random password (returned once); None when it exists."""
    with open_store(settings) as db:
        if user_store.user_by_name(db, DEMO_ADMIN):
            return None
        password = secrets.token_urlsafe(12)
        add_user(db, DEMO_ADMIN, "admin", password, "plaudit demo")
    return password


def print_staff_app(settings, password: str | None) -> None:
    """How to open the staff app on the demo data and sign in."""
    print(f"\nstaff app:     .venv/bin/plaudit --config {settings.config_path} serve staff\n"
          f"               then open http://127.0.0.1:8700/ and sign in as {DEMO_ADMIN}")
    if password:
        print(f"               password: {password}   (shown this once; stored only as an argon2 hash)")
    else:
        print(f"               forgot the password? .venv/bin/plaudit --config {settings.config_path} "
              f"users reset-password {DEMO_ADMIN}")
