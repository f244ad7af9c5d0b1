"""The public app: the read-only JSON API, the widget and the hosted review form.

It opens the public store read-only and never the internal store; submissions go to an append-only inbox.
"""
