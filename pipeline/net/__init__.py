"""The polite HTTP client: how Plaudit fetches listing pages and review APIs without harming anyone.

Takes: a URL (and the validators saved from the last fetch). Gives: a `FetchResult` (status, bytes, final URL,
new validators) or a named `FetchError`. Modules: `client` (the `PoliteClient`), `robots` (robots.txt per
origin), `guard` (refusal of private addresses, on every socket), `retry` (the pure retry decision).

Settings: `user_agent`, `http_delay_seconds`, `http_connect_timeout`, `http_read_timeout`, `http_max_bytes`,
`http_retries`, `http_backoff_seconds`, `http_max_retry_after`, `allow_private_addresses`.
"""
