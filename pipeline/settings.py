"""One declarative list of settings, loaded from defaults < plaudit.toml < PLAUDIT_* environment variables.

Scalar settings live in SETTINGS (name, default, help); sources and locations are tables in plaudit.toml.
`plaudit init` writes a commented example built from this list, and a test checks the README documents
every setting.
"""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.errors import ConfigError
from pipeline.models import (API_KINDS, KIND_DEFAULTS, KIND_LISTING_URLS, POLICIES, SECRET_KEYS, SOURCE_KINDS,
                             Location, Provider, Secret, SourceConfig)

ENV_PREFIX = "PLAUDIT_"
CONFIG_ENV = "PLAUDIT_CONFIG"
DEFAULT_CONFIG = "plaudit.toml"


@dataclass(frozen=True)
class Setting:
    """A named setting with its default and one line of help."""

    name: str
    default: Any
    help: str
    minimum: float | None = None  # numbers only: the allowed range, checked when the settings load
    maximum: float | None = None


DEFAULT_CONSENT_TEXT = (
    "Optional: I agree that this practice may show my review, or a shortened excerpt of it, on its website as a "
    "testimonial, with my first name and last initial. My care does not depend on this. I can withdraw this "
    "permission at any time by contacting the practice, and the testimonial is then taken off the website.")

SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "data", "Folder for the stores and the static export (relative to the config file)."),
    Setting("internal_db", "", "Internal store path; default <data_dir>/plaudit.db. Holds patient details."),
    Setting("public_db", "", "Public store path; default <data_dir>/published.db. Only approved public fields."),
    Setting("export_dir", "", "Static export folder; default <data_dir>/public."),
    Setting("prefect_home", "", "PREFECT_HOME for embedded runs; default <data_dir>/prefect. Ignored if set."),
    Setting("prefect_mode", "embedded",
            "How `plaudit run` runs: embedded (Prefect's temporary local API), server (PREFECT_API_URL) or off."),
    Setting("practice_name", "Our practice", "Practice name used in the HTML fragment."),
    Setting("disclosure_label", "Selected testimonials", "Label shown with every published set (not removable)."),
    Setting("user_agent", "PlauditBot/0.1 (+https://github.com/plaudit/plaudit)",
            "User-Agent for every request; include a contact URL or email."),
    Setting("http_delay_seconds", 1.0, "Minimum delay between requests to one host, jittered 0.5-1.5x.",
            minimum=0, maximum=3600),
    Setting("http_connect_timeout", 10.0, "Seconds to wait for a connection.", minimum=0.1, maximum=600),
    Setting("http_read_timeout", 30.0, "Seconds to wait for data; also caps the whole download.",
            minimum=0.1, maximum=3600),
    Setting("http_max_bytes", 5_000_000, "Largest response body accepted, in bytes.", minimum=1),
    Setting("http_retries", 2, "Retries after the first try, only for timeouts, 408, 429 and 5xx.",
            minimum=0, maximum=10),
    Setting("http_backoff_seconds", 1.0, "Base of the exponential backoff between retries.", minimum=0, maximum=600),
    Setting("http_max_retry_after", 120.0, "Longest Retry-After honoured; longer means give up this run.",
            minimum=0, maximum=86400),
    Setting("allow_private_addresses", False, "Allow fetching private/loopback addresses (tests and demo only)."),
    Setting("allowed_networks", (),
            "Private networks (CIDR, e.g. \"10.1.2.0/24\") fetched even with allow_private_addresses off."),
    Setting("max_pages", 20, "Most pages read from one listing per run.", minimum=1, maximum=10000),
    Setting("source_workers", 4, "Sources collected in parallel (threads).", minimum=1, maximum=64),
    Setting("score_workers", 1, "Processes used to score sentiment; 0 means one per CPU (for backfills).",
            minimum=0, maximum=256),
    Setting("excerpt_max_chars", 240, "Longest suggested excerpt, in characters.", minimum=40, maximum=2000),
    Setting("suggest_min_compound", 0.5, "Lowest review sentiment (VADER compound) suggested as a quote.",
            minimum=-1, maximum=1),
    Setting("suggest_min_rating", 4.0, "Lowest star rating suggested as a quote, when the review has one.",
            minimum=0, maximum=5),
    Setting("missing_sweeps_before_deleted", 3, "Complete sweeps that must miss a review before it counts as deleted.",
            minimum=1, maximum=100),
    Setting("stop_after_known", 20,
            "Newest-first sources stop a nightly sweep after this many known, unchanged reviews in a row.",
            minimum=1, maximum=100000),
    Setting("full_sweep_days", 7.0,
            "Days between full sweeps, which read every page (no early stop) and let deletions be inferred.",
            minimum=0, maximum=365),
    Setting("log_level", "INFO", "Logging level for the command line and flows."),
    Setting("schedule_time", "03:00", "Local time of the nightly run written by `plaudit schedule install` (HH:MM)."),
    Setting("schedule_timezone", "America/New_York", "IANA time zone of schedule_time."),
    Setting("notify_webhook", "", "URL that receives a JSON POST (counts only) when a nightly run fails."),
    Setting("attention_webhook", "",
            "URL told the same night, with counts only, when reviews need a person (crisis first); "
            "empty: notify_webhook."),
    Setting("digest_webhook", "", "URL that receives the daily digest after each nightly run (counts only)."),
    Setting("notify_email", (), "Addresses that get failure notices, attention notices and the daily digest."),
    Setting("staff_app_url", "", "Link to the staff app put in the digest, e.g. https://plaudit.clinic.example/."),
    Setting("smtp_host", "localhost", "SMTP server for email notices."),
    Setting("smtp_port", 587, "SMTP port.", minimum=1, maximum=65535),
    Setting("smtp_security", "starttls", "starttls, ssl or none."),
    Setting("smtp_username", "", "SMTP login, if the server needs one."),
    Setting("smtp_password", "", "SMTP password: set it as PLAUDIT_SMTP_PASSWORD rather than in the file."),
    Setting("smtp_from", "", "Sender address of email notices; default plaudit@<smtp_host>."),
    Setting("staff_names", (),
            "Names of staff (e.g. \"Dr. Alvarez\"): not patient details; reviews by them are insider."),
    Setting("blocked_claims", ("cure", "comparative", "safety"),
            "Health-claim kinds never published; other claims need a clinician's sign-off (docs/rules.md §3)."),
    Setting("sentiment_rules", "", "Optional TOML file of clinic lexicon words and phrase rules over the defaults."),
    Setting("webhook_secret", "",
            "Shared secret of form-tool webhooks (HMAC key or token); set PLAUDIT_WEBHOOK_SECRET. Empty: off."),
    Setting("typeform_webhook_secret", "",
            "The secret of the Typeform webhook (Typeform-Signature); set PLAUDIT_TYPEFORM_WEBHOOK_SECRET."),
    Setting("webhook_max_bytes", 262_144, "Largest webhook body accepted, in bytes.", minimum=1024,
            maximum=10_000_000),
    Setting("webhook_tolerance_seconds", 300.0,
            "Signed webhook timestamps further than this from now are refused as stale.", minimum=1, maximum=86400),
    Setting("records_retention_years", 6,
            "Years an ended authorization is kept before it is pruned (HIPAA: 6); the audit log is never pruned.",
            minimum=6, maximum=100),
    Setting("staff_idle_minutes", 15.0,
            "Staff app: minutes without a request before a session ends (automatic logoff).", minimum=0.01, maximum=15),
    Setting("staff_session_hours", 12.0, "Staff app: longest a session lasts, however active.",
            minimum=0.01, maximum=12),
    Setting("staff_totp_required", False,
            "Staff app: every account must use a TOTP second factor (enrolled at next login)."),
    Setting("staff_lockout_after", 5,
            "Staff app: failed logins on one account before it is locked with a growing delay.", minimum=1, maximum=100),
    Setting("staff_lockout_client_after", 20,
            "Staff app: failed logins from one client address before it is locked.", minimum=1, maximum=1000),
    Setting("staff_lockout_seconds", 30.0,
            "Staff app: first lockout delay; it doubles with each further failure (1 h at most).", minimum=1, maximum=3600),
    Setting("staff_origin", "",
            "Staff app: its public origin behind a proxy (e.g. https://staff.example.org); default: as requested."),
    Setting("staff_admin_decides", False,
            "Staff app: admins may also approve quotes and record authorizations (off: separation of duties)."),
    Setting("staff_page_size", 25, "Staff app: rows per queue and audit page.", minimum=5, maximum=500),
    Setting("inbox_db", "", "Inbox of hosted-form submissions; default <data_dir>/inbox.db. Append-only; "
            "an `inbox` source reads it."),
    Setting("inbox_keep_days", 30,
            "Days a delivery's fields stay in the inbox after the pipeline read them; then they are blanked "
            "(its id and dedupe key stay, so a late retry is still recognised).", minimum=1, maximum=3650),
    Setting("public_allowed_origins", (),
            "Website origins (e.g. https://www.example-clinic.com) allowed to read the public API from a browser "
            "and to frame its embed page; \"*\" allows any. Empty: same origin only."),
    Setting("public_cache_seconds", 60, "Cache-Control max-age of the public API's answers, in seconds.",
            minimum=0, maximum=86400),
    Setting("review_consent_text", DEFAULT_CONSENT_TEXT,
            "Consent wording shown in full on the hosted review form; changing it makes a new consent version."),
    Setting("review_form_max_chars", 5000, "Longest review accepted by the hosted review form, in characters.",
            minimum=200, maximum=20000),
    Setting("review_form_rate_limit", 5, "Hosted review form submissions accepted per client (IP) per hour.",
            minimum=1, maximum=1000),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}
_BY_NAME = {s.name: s for s in SETTINGS}
KNOWN_TABLES = ("plaudit", "sources", "locations", "providers")
PREFECT_MODES = ("embedded", "server", "off")
SELECTOR_KEYS = frozenset({"item", "text", "author", "rating", "date", "id", "title", "url", "date_format"})


@dataclass(frozen=True)
class Settings:
    """All settings, resolved. Paths are absolute."""

    data_dir: Path
    internal_db: Path
    public_db: Path
    export_dir: Path
    prefect_home: Path
    prefect_mode: str
    practice_name: str
    disclosure_label: str
    user_agent: str
    http_delay_seconds: float
    http_connect_timeout: float
    http_read_timeout: float
    http_max_bytes: int
    http_retries: int
    http_backoff_seconds: float
    http_max_retry_after: float
    allow_private_addresses: bool
    allowed_networks: tuple[str, ...]
    max_pages: int
    source_workers: int
    score_workers: int
    excerpt_max_chars: int
    suggest_min_compound: float
    suggest_min_rating: float
    missing_sweeps_before_deleted: int
    stop_after_known: int
    full_sweep_days: float
    log_level: str
    schedule_time: str
    schedule_timezone: str
    notify_webhook: str
    attention_webhook: str
    digest_webhook: str
    notify_email: tuple[str, ...]
    staff_app_url: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_username: str
    smtp_password: str
    smtp_from: str
    staff_names: tuple[str, ...]
    blocked_claims: tuple[str, ...]
    sentiment_rules: str
    webhook_secret: str = field(repr=False)
    typeform_webhook_secret: str = field(repr=False)
    webhook_max_bytes: int
    webhook_tolerance_seconds: float
    records_retention_years: int
    staff_idle_minutes: float
    staff_session_hours: float
    staff_totp_required: bool
    staff_lockout_after: int
    staff_lockout_client_after: int
    staff_lockout_seconds: float
    staff_origin: str
    staff_admin_decides: bool
    staff_page_size: int
    inbox_db: Path
    inbox_keep_days: int
    public_allowed_origins: tuple[str, ...]
    public_cache_seconds: int
    review_consent_text: str
    review_form_max_chars: int
    review_form_rate_limit: int
    sources: tuple[SourceConfig, ...] = ()
    locations: tuple[Location, ...] = ()
    providers: tuple[Provider, ...] = ()
    config_path: Path | None = None

    def source(self, name: str) -> SourceConfig:
        """The configured source with this name."""
        for src in self.sources:
            if src.name == name:
                return src
        raise ConfigError(f"no source named {name!r}; configured: {', '.join(s.name for s in self.sources)}")

    def provider(self, given: str) -> Provider:
        """The configured provider with this id (or, as typed by staff, this name); ConfigError naming them."""
        for provider in self.providers:
            if given.strip() in (provider.id, provider.name):
                return provider
        known = ", ".join(f"{p.id} ({p.name})" for p in self.providers) or "none: add [[providers]] to plaudit.toml"
        raise ConfigError(f"unknown provider {given!r}{suggest(given, [p.id for p in self.providers])}; "
                          f"configured providers: {known}")

    def location_name(self, location_id: str) -> str:
        """Display name of a location id (the id itself when not configured)."""
        for loc in self.locations:
            if loc.id == location_id:
                return loc.name
        return location_id


def load_settings(config_path: str | Path | None = None, env: dict[str, str] | None = None,
                  **overrides: Any) -> Settings:
    """Resolve settings: defaults, then the TOML file, then PLAUDIT_* variables, then keyword overrides."""
    env = os.environ if env is None else env
    path = _config_path(config_path, env)
    doc = _read_toml(path) if path else {}
    base = path.parent if path else Path.cwd()
    values = dict(_DEFAULTS)
    values.update(_file_values(doc, path))
    values.update(_env_values(env))
    values.update({k: _coerce(k, v, "argument") for k, v in overrides.items()})
    return _build(values, base, doc, path, env)


def _config_path(config_path: str | Path | None, env: dict[str, str]) -> Path | None:
    if config_path:
        path = Path(config_path)
        if not path.is_file():
            raise ConfigError(f"config file {path} not found")
        return path.resolve()
    if env.get(CONFIG_ENV):
        return _config_path(env[CONFIG_ENV], {})
    default = Path(DEFAULT_CONFIG)
    return default.resolve() if default.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def suggest(wrong: str, choices) -> str:
    """ "; did you mean 'x'?" for a near miss among the choices, else "" (for error messages)."""
    close = difflib.get_close_matches(str(wrong), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _file_values(doc: dict[str, Any], path: Path | None) -> dict[str, Any]:
    for table in doc:
        if table not in KNOWN_TABLES:
            raise ConfigError(f"{path}: unknown table {table!r}{suggest(table, KNOWN_TABLES)} (tables are "
                              f"[plaudit], [[sources]], [[locations]] and [[providers]])")
    table = doc.get("plaudit", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [plaudit] must be a table of settings")
    for name in table:
        if name not in _DEFAULTS:
            raise ConfigError(f"{path}: unknown setting {name!r} in [plaudit]{suggest(name, _DEFAULTS)}")
    return {k: _coerce(k, v, str(path)) for k, v in table.items()}


def _env_values(env: dict[str, str]) -> dict[str, Any]:
    found = {}
    for name in _DEFAULTS:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None:
            found[name] = _coerce(name, raw, ENV_PREFIX + name.upper())
    return found


def _coerce(name: str, value: Any, origin: str) -> Any:
    if name not in _DEFAULTS:
        raise ConfigError(f"unknown setting {name!r} ({origin})")
    kind = type(_DEFAULTS[name])
    try:
        if kind is tuple:
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(item).strip() for item in items if str(item).strip())
        if kind is bool and isinstance(value, str):
            if value.strip().lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(value)
            return value.strip().lower() in ("1", "true", "yes", "on")
        return _in_range(name, kind(value), origin)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name} from {origin}: expected {kind.__name__}, got {value!r}") from exc


def _in_range(name: str, value: Any, origin: str) -> Any:
    setting = _BY_NAME[name]
    low, high = setting.minimum, setting.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        allowed = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
        raise ConfigError(f"setting {name} = {value!r} from {origin} is out of range: it must be {allowed}")
    return value


def _build(values: dict[str, Any], base: Path, doc: dict[str, Any], path: Path | None,
           env: dict[str, str]) -> Settings:
    if not values["disclosure_label"].strip():
        raise ConfigError("disclosure_label cannot be empty: published quotes must be labelled as a selection")
    for network in values["allowed_networks"]:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ConfigError(f"allowed_networks: {network!r} is not a network such as \"10.1.2.0/24\"") from None
    _check_schedule(values["schedule_time"], values["schedule_timezone"])
    if values["smtp_security"] not in ("starttls", "ssl", "none"):
        raise ConfigError(f"smtp_security {values['smtp_security']!r} is not one of starttls, ssl, none")
    if values["prefect_mode"] not in PREFECT_MODES:
        raise ConfigError(f"prefect_mode {values['prefect_mode']!r} is not one of {', '.join(PREFECT_MODES)}"
                          f"{suggest(values['prefect_mode'], PREFECT_MODES)}")
    _check_public(values)
    data_dir = (base / values["data_dir"]).resolve()

    def under_data(key: str, default_name: str) -> Path:
        return (base / values[key]).resolve() if values[key] else data_dir / default_name

    values.update(
        data_dir=data_dir,
        internal_db=under_data("internal_db", "plaudit.db"),
        public_db=under_data("public_db", "published.db"),
        export_dir=under_data("export_dir", "public"),
        prefect_home=under_data("prefect_home", "prefect"),
        inbox_db=under_data("inbox_db", "inbox.db"),
        sentiment_rules=str(base / values["sentiment_rules"]) if values["sentiment_rules"] else "",
    )
    locations = tuple(_location(item, path) for item in _tables(doc, "locations", path))
    _check_unique([loc.id for loc in locations], "location", path)
    providers = tuple(_provider(item, locations, path) for item in _tables(doc, "providers", path))
    _check_unique([p.id for p in providers], "provider", path)
    sources = tuple(_source(item, base, i, path, env) for i, item in enumerate(_tables(doc, "sources", path)))
    sources = tuple(dataclasses.replace(s, path=str(values["inbox_db"])) if s.kind == "inbox" and not s.path else s
                    for s in sources)  # an inbox source reads the inbox the public app writes, unless told otherwise
    _check_unique([s.name for s in sources], "source", path)
    for source in sources:
        _check_source(source, locations, path)
    return Settings(**values, sources=sources, locations=locations, providers=providers, config_path=path)


def _check_schedule(at: str, zone: str) -> None:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", at):
        raise ConfigError(f"schedule_time {at!r} must be HH:MM on a 24-hour clock, e.g. \"03:00\"")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"schedule_timezone {zone!r} is not an IANA time zone such as \"America/New_York\"") from None


def _check_public(values: dict[str, Any]) -> None:
    """The public app's settings: a consent text to show, and origins written as scheme://host[:port]."""
    if not values["review_consent_text"].strip():
        raise ConfigError("review_consent_text cannot be empty: the hosted review form shows it in full")
    for origin in values["public_allowed_origins"]:
        if origin != "*" and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?",
                                              origin):
            raise ConfigError(f"public_allowed_origins: {origin!r} is not an origin; write it as scheme://host[:port] "
                              f"with no path or trailing slash, e.g. https://www.example-clinic.com")


def _tables(doc: dict[str, Any], name: str, path: Path | None) -> list[dict[str, Any]]:
    items = doc.get(name, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ConfigError(f"{path}: {name} must be written as [[{name}]] tables")
    return items


def _check_source(source: SourceConfig, locations: tuple[Location, ...], path: Path | None) -> None:
    """Everything about a source that can be known before a run: location, ranges, preset, selectors."""
    where = f"{path}: source {source.name!r}"
    known = [loc.id for loc in locations]
    if source.location and source.location not in known:
        listed = f"known locations: {', '.join(known)}" if known else "no [[locations]] are configured"
        raise ConfigError(f"{where}: location {source.location!r} is not a configured location"
                          f"{suggest(source.location, known)} ({listed})")
    for name, low in (("max_pages", 0), ("retention_hours", 0), ("rating_scale", 1)):
        if getattr(source, name) < low:
            raise ConfigError(f"{where}: {name} = {getattr(source, name)!r} must be at least {low}")
    from pipeline.sources import build_source  # sources build on these settings, so they are checked last

    try:
        build_source(source)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _source(item: dict[str, Any], base: Path, index: int, path: Path | None, env: dict[str, str]) -> SourceConfig:
    if not item.get("name"):
        raise ConfigError(f"{path}: sources[{index}] needs a name")
    where = f"{path}: source {item['name']!r}"
    known = {f.name for f in dataclasses.fields(SourceConfig)}
    for key in sorted(set(item) - known):
        if key in SELECTOR_KEYS or key.endswith("_pattern"):
            raise ConfigError(f"{where}: {key!r} belongs inside the source's selectors table, e.g. "
                              f"selectors = {{ item = \".review\", text = \"p\", {key} = ... }}")
        raise ConfigError(f"{where}: unknown key {key!r}{suggest(key, known)}; keys are {', '.join(sorted(known))}")
    if item.get("kind") == "google_places":
        raise ConfigError(f"{where}: Google's Places API terms forbid storing its reviews and ratings, so Plaudit does "
                          f"not collect them; use kind = \"google_business_profile\" for your own locations, and "
                          f"listing_url for the link to your Google listing")
    if item.get("kind") not in SOURCE_KINDS:
        raise ConfigError(f"{where}: kind {item.get('kind')!r} is not one of {', '.join(SOURCE_KINDS)}"
                          f"{suggest(item.get('kind', ''), SOURCE_KINDS)}")
    if item.get("policy", "publish") not in POLICIES:
        raise ConfigError(f"{where}: policy {item['policy']!r} is not one of {', '.join(POLICIES)}"
                          f"{suggest(item['policy'], POLICIES)}")
    if item["kind"] == "csv" and not item.get("path"):
        raise ConfigError(f"{where}: a csv source needs a path")
    if item["kind"] in API_KINDS and not item.get("resource"):
        raise ConfigError(f"{where}: a {item['kind']} source needs a resource (its id at the API; see README)")
    if item["kind"] not in API_KINDS + ("csv", "inbox") and not item.get("url"):
        raise ConfigError(f"{where}: a {item['kind']} source needs a url")
    if item["kind"] == "selectors" and not {"item", "text"} <= set(item.get("selectors", {})):
        raise ConfigError(f"{where}: selectors need at least 'item' and 'text'")
    if item.get("path") and not Path(item["path"]).is_absolute():
        item = {**item, "path": str(base / item["path"])}
    item.setdefault("label", item["name"])
    item = {**KIND_DEFAULTS.get(item["kind"], {}), **item, "auth": _credentials(item, where, env)}
    if item["kind"] in KIND_LISTING_URLS and not item.get("listing_url"):
        item["listing_url"] = KIND_LISTING_URLS[item["kind"]].format(resource=item["resource"])
    try:
        return SourceConfig(**item)
    except TypeError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def _credentials(item: dict[str, Any], where: str, env: dict[str, str]) -> dict[str, Secret]:
    """A source's API credentials: `auth.<key>_env` names a variable, else $PLAUDIT_SOURCE_<NAME>_<KEY>, else
    `auth.<key>` in the file (the environment keeps secrets out of a file that may be shared)."""
    table = item.get("auth", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: auth must be a table, e.g. auth = {{ api_key_env = \"TRUSTPILOT_KEY\" }}")
    allowed = set(SECRET_KEYS) | {f"{key}_env" for key in SECRET_KEYS}
    for key in sorted(set(table) - allowed):
        raise ConfigError(f"{where}: unknown auth key {key!r}{suggest(key, allowed)}; keys are "
                          f"{', '.join(sorted(allowed))}")
    found: dict[str, Secret] = {}
    for key in SECRET_KEYS:
        variable = table.get(f"{key}_env") or f"PLAUDIT_SOURCE_{re.sub(r'[^A-Z0-9]', '_', item['name'].upper())}_{key.upper()}"
        if env.get(variable):
            found[key] = Secret(env[variable], f"${variable}")
        elif table.get(key):
            found[key] = Secret(str(table[key]), "plaudit.toml")
    return found


def _location(item: dict[str, Any], path: Path | None) -> Location:
    if not item.get("id"):
        raise ConfigError(f"{path}: every [[locations]] entry needs an id")
    return Location(id=str(item["id"]), name=str(item.get("name", item["id"])))


def _provider(item: dict[str, Any], locations: tuple[Location, ...], path: Path | None) -> Provider:
    unknown = sorted(set(item) - {"id", "name", "location"})
    if not item.get("id") or unknown:
        raise ConfigError(f"{path}: a [[providers]] entry needs an id (and may have a name and a location)"
                          + (f"; unknown key(s) {', '.join(unknown)}" if unknown else ""))
    location = str(item.get("location", ""))
    known = [loc.id for loc in locations]
    if location and location not in known:
        raise ConfigError(f"{path}: provider {item['id']!r}: location {location!r} is not a configured location"
                          f"{suggest(location, known)}")
    return Provider(id=str(item["id"]), name=str(item.get("name", item["id"])), location=location)


def _check_unique(names: list[str], what: str, path: Path | None) -> None:
    seen = set()
    for name in names:
        if name in seen:
            raise ConfigError(f"{path}: two {what}s named {name!r}")
        seen.add(name)
