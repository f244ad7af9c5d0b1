"""Official review APIs as sources: Google Business Profile, Trustpilot, Yelp Fusion.

Modules: `common` (JSON over the polite client, the paged sweep every API shares, errors mapped to what a
person can act on), one module per vendor with its URLs, authentication and mapping of a review. Every base
URL is a setting of the source (`api_base`, `token_url`), so tests serve recorded answers from 127.0.0.1.

Google's Places API is deliberately absent: its terms forbid storing its reviews or ratings (README "Sources").
"""
