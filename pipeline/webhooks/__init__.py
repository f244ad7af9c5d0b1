"""Form-tool webhooks: deliveries from Gravity Forms, WPForms, Typeform and Jotform, checked and mapped here as
plain functions; the web route that receives them is a thin layer over `receive.receive`.

Modules: `verify` (Typeform's signature, our shared-secret HMAC with a timestamp, a shared token; size and
freshness), `payloads` (each tool's body as the flat fields its CSV export would have, and a dedupe key),
`receive` (the whole decision for one delivery, ending in an append to the inbox the hosted form writes).

Settings: `webhook_secret`, `typeform_webhook_secret`, `webhook_max_bytes`, `webhook_tolerance_seconds`.
"""
