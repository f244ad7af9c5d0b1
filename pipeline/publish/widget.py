"""The testimonials widget (`assets/widget.js`) and the sample page that shows a website how to embed it.

One script serves both ways of reading: the public app serves it in "api" mode (it asks `v1/testimonials`
and `v1/summary` next to itself) and the static export writes it in "static" mode (it reads
`testimonials.json` and `summary.json` next to itself), so both render the same thing. It emits no
schema.org Review or AggregateRating markup (self-serving review markup, COMPLIANCE §4).
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

ASSET = Path(__file__).parent / "assets" / "widget.js"
MODES = ("api", "static")
LAYOUT_EXAMPLES = (("List", 'data-count="3" data-layout="list"'),
                   ("Carousel (never moves by itself: buttons or arrow keys)", 'data-count="5" data-layout="carousel"'),
                   ("Grid, restyled with CSS custom properties", 'data-count="6" data-layout="grid" class="branded"'))


@lru_cache(maxsize=2)
def widget_script(mode: str) -> str:
    """The widget's source for one way of reading ("api" or "static")."""
    if mode not in MODES:
        raise ValueError(f"widget mode must be one of {MODES}, not {mode!r}")
    return ASSET.read_text(encoding="utf-8").replace("__PLAUDIT_MODE__", mode)


def sample_page(practice_name: str, script_src: str = "widget.js") -> str:
    """A plain host page that embeds the widget three ways (list, carousel, grid), for trying and for tests."""
    name = html.escape(practice_name)
    blocks = "\n".join(f"<h2>{html.escape(title)}</h2>\n<div data-plaudit-testimonials {attributes}></div>"
                       for title, attributes in LAYOUT_EXAMPLES)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}: testimonials widget sample</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }}
  .branded {{ --plaudit-accent: #7a1f5c; --plaudit-card-background: #fbf7fa; --plaudit-radius: 2px; }}
</style>
</head>
<body>
<h1>{name}</h1>
<p>A sample page: a website shows its testimonials with one element and one script tag.</p>
{blocks}
<script src="{html.escape(script_src)}" defer></script>
</body>
</html>
"""
