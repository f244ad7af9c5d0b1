"""The commented example plaudit.toml written by `plaudit init`, built from the settings list."""

from __future__ import annotations

from pipeline.settings import SETTINGS

_SOURCES_EXAMPLE = '''
# Locations shown with quotes (optional).
[[locations]]
id = "main"
name = "Main clinic"

# The practice's own review form, exported as CSV (Gravity Forms, WPForms, Google Forms, Typeform, Jotform
# or generic). Consent captured on the form is what makes a quote publishable.
[[sources]]
name = "review-form"
kind = "csv"
label = "Patient feedback form"
path = "exports/review-form-*.csv"   # a file or a glob, relative to this file
preset = "gravityforms"
consent_version = "2026-01"         # version of the consent wording the form showed
location = "main"
policy = "publish"                  # publish | summary_only | ignore
# columns = { text = "Tell us about your visit", consent = "May we share your words?" }

# A directory listing with schema.org Review markup (JSON-LD or microdata), pagination followed.
[[sources]]
name = "directory"
kind = "schema_org"
label = "Health directory"
url = "https://directory.example.com/practice/123/reviews"
listing_url = "https://directory.example.com/practice/123"   # "see all reviews" link
policy = "summary_only"             # counts and link only; check the site's terms before "publish"
retention_hours = 24                # purge text 24 h after collection; id, rating and date remain

# The practice's own testimonial page, read with CSS selectors.
[[sources]]
name = "website"
kind = "selectors"
label = "Our website"
url = "https://www.example-clinic.com/testimonials"
policy = "publish"
selectors = { item = ".testimonial", text = "blockquote", author = ".name" }

# Google reviews of one of your own, verified locations (Business Profile API). Keep the credentials in the
# environment: PLAUDIT_SOURCE_GOOGLE_CLIENT_ID, PLAUDIT_SOURCE_GOOGLE_CLIENT_SECRET,
# PLAUDIT_SOURCE_GOOGLE_REFRESH_TOKEN (README "Credentials").
# [[sources]]
# name = "google"
# kind = "google_business_profile"
# label = "Google"
# resource = "accounts/123/locations/456"
# listing_url = "https://maps.google.com/?cid=123"
# location = "main"

# Yelp review excerpts (at most three): summary_only and 24-hour retention by default, per Yelp's terms.
# [[sources]]
# name = "yelp"
# kind = "yelp"
# label = "Yelp"
# resource = "your-practice-tampa"     # from https://www.yelp.com/biz/your-practice-tampa; key in PLAUDIT_SOURCE_YELP_API_KEY

# Reviews sent through the hosted review form of `plaudit serve public` (it writes them to inbox_db).
# [[sources]]
# name = "hosted-form"
# kind = "inbox"
# label = "Patient review form"
# policy = "publish"
'''


def example_config() -> str:
    """Every setting with its default and help, commented out, then example sources and locations."""
    lines = ["# Plaudit configuration. Environment variables PLAUDIT_<NAME> override these values.", "",
             "[plaudit]"]
    for setting in SETTINGS:
        lines.append(f"# {setting.help}")
        lines.append(f"# {setting.name} = {_toml(setting.default)}")
    return "\n".join(lines) + "\n" + _SOURCES_EXAMPLE


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)
