/* Plaudit testimonials widget: <div data-plaudit-testimonials data-count="3" data-layout="list"></div>
   plus this script. No framework, no cookies, no request to any host but the one that served this file.
   Review text is only ever set with textContent. Options: data-location, data-tag, data-provider,
   data-count (1-100), data-layout (list | carousel | grid); style with --plaudit-* custom properties. */
(function () {
  "use strict";
  var MODE = "__PLAUDIT_MODE__"; /* "api": the public app; "static": the export folder's JSON files */
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var base = new URL(".", script.src);
  var LAYOUTS = ["list", "carousel", "grid"];
  var CSS = ":host{display:block}" +
    ".plaudit{font-family:var(--plaudit-font-family,inherit);font-size:var(--plaudit-font-size,1rem);" +
    "color:var(--plaudit-color,#1f2328);background:var(--plaudit-background,transparent);line-height:1.5}" +
    ".label{font-size:1.25em;margin:0 0 .25em}" +
    ".note,figcaption{font-size:.875em;color:var(--plaudit-muted-color,#4b5563)}.note{margin:0 0 1em}" +
    ".quotes{list-style:none;margin:0;padding:0;display:grid;gap:var(--plaudit-gap,1em)}" +
    ".grid .quotes{grid-template-columns:repeat(var(--plaudit-columns,3),minmax(0,1fr))}" +
    "@media (max-width:40em){.grid .quotes{grid-template-columns:1fr}}" +
    "figure{margin:0;padding:1em;border:1px solid var(--plaudit-border-color,#d0d7de);" +
    "border-radius:var(--plaudit-radius,8px);background:var(--plaudit-card-background,#fff)}" +
    "blockquote{margin:0 0 .5em}blockquote p{margin:0}.stars{color:var(--plaudit-star-color,#8a5a00)}" +
    "a,button{color:var(--plaudit-accent,#0b5cad)}" +
    ".controls{display:flex;align-items:center;gap:.75em;margin-top:.5em}" +
    "button{font:inherit;background:var(--plaudit-card-background,#fff);border:1px solid currentColor;" +
    "border-radius:var(--plaudit-radius,8px);padding:.25em .75em;cursor:pointer}" +
    "button:focus-visible,.quotes:focus-visible,a:focus-visible{outline:3px solid var(--plaudit-accent,#0b5cad);" +
    "outline-offset:2px}.summary{margin-top:1em;font-size:.875em}.summary h3{font-size:1em;margin:0 0 .25em}" +
    ".summary p{margin:0 0 .25em}.summary ul{margin:0;padding-left:1.25em}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    "[hidden]{display:none!important}";
  var sheet = null;
  var counter = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function get(path) {
    var url = new URL(path, base);
    if (url.origin !== base.origin) { return Promise.reject(new Error("refused a request to another host")); }
    return fetch(url.href, {credentials: "omit"}).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status + " from " + url.pathname); }
      return response.json();
    });
  }

  function options(host) {
    var data = host.dataset;
    var count = parseInt(data.count || "3", 10);
    return {
      location: (data.location || "").trim(), tag: (data.tag || "").trim().toLowerCase(),
      provider: (data.provider || "").trim(), count: count >= 1 && count <= 100 ? count : 3,
      layout: LAYOUTS.indexOf(data.layout) >= 0 ? data.layout : "list"
    };
  }

  function matches(item, opts) {
    return (!opts.location || item.location === opts.location) &&
      (!opts.tag || (item.tags || []).indexOf(opts.tag) >= 0) &&
      (!opts.provider || item.provider === opts.provider);
  }

  function load(opts) {
    if (MODE === "static") {
      return Promise.all([get("testimonials.json"), get("summary.json")]).then(function (found) {
        var items = (found[0].testimonials || []).filter(function (t) { return matches(t, opts); });
        return {page: found[0], items: items.slice(0, opts.count), summary: found[1]};
      });
    }
    var query = new URLSearchParams({limit: String(opts.count)});
    ["location", "tag", "provider"].forEach(function (key) { if (opts[key]) { query.set(key, opts[key]); } });
    return Promise.all([get("v1/testimonials?" + query), get("v1/summary")]).then(function (found) {
      return {page: found[0], items: found[0].testimonials || [], summary: found[1]};
    });
  }

  function safeHref(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (error) { return null; }
  }

  function stars(rating) {
    var span = el("span", "rating");
    var whole = Math.max(0, Math.min(5, Math.round(rating)));
    var shown = el("span", "stars", "★★★★★".slice(0, whole) + "☆☆☆☆☆".slice(0, 5 - whole));
    shown.setAttribute("aria-hidden", "true");
    span.appendChild(shown);
    span.appendChild(el("span", "sr", "Rated " + rating + " out of 5"));
    return span;
  }

  function quote(item) {
    var li = el("li", "quote");
    var figure = el("figure");
    var block = el("blockquote");
    block.appendChild(el("p", null, item.excerpt));
    figure.appendChild(block);
    var caption = el("figcaption");
    if (typeof item.rating === "number") { caption.appendChild(stars(item.rating)); caption.appendChild(el("br")); }
    caption.appendChild(el("span", "who", "— " + item.attribution + (item.source_label ? ", " + item.source_label : "")));
    if (item.provider) { caption.appendChild(el("span", "provider", " · " + item.provider)); }
    if (item.disclosure) { caption.appendChild(el("span", "disclosure", " (" + item.disclosure + ")")); }
    figure.appendChild(caption);
    li.appendChild(figure);
    return li;
  }

  function carousel(section, list, id) {
    var items = list.children;
    var current = 0;
    var status = el("span", "status");
    status.setAttribute("aria-live", "polite");
    function show(index) {
      current = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) { items[i].hidden = i !== current; }
      status.textContent = "Testimonial " + (current + 1) + " of " + items.length;
    }
    function button(cls, text, step) {
      var b = el("button", cls, text);
      b.type = "button";
      b.setAttribute("aria-controls", id + "-list");
      b.addEventListener("click", function () { show(current + step); });
      return b;
    }
    list.tabIndex = 0;
    list.setAttribute("aria-roledescription", "carousel");
    list.setAttribute("aria-label", "Testimonials, one at a time; use the arrow keys or the buttons");
    list.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        show(current + (event.key === "ArrowRight" ? 1 : -1));
      }
    });
    var controls = el("div", "controls");
    controls.appendChild(button("prev", "Previous", -1));
    controls.appendChild(status);
    controls.appendChild(button("next", "Next", 1));
    section.appendChild(controls);
    show(0);
  }

  function sourceLine(source) {
    if (source.stated_count) {
      return ": " + source.stated_rating + " out of 5 from " + source.stated_count + " reviews (the listing's own figures)";
    }
    if (source.rated_count) {
      return ": " + source.average_rating + " out of 5 from " + source.rated_count + " rated reviews";
    }
    return source.review_count ? ": " + source.review_count + " reviews" : "";
  }

  function summary(data, opts) {
    var box = el("aside", "summary");
    box.setAttribute("aria-label", "All reviews");
    box.appendChild(el("h3", null, "All reviews, not only the selected ones"));
    var all = data.summary || {};
    if (all.total_reviews) {
      box.appendChild(el("p", null, "We collected " + all.total_reviews + " reviews" +
        (all.average_rating ? "; their average rating is " + all.average_rating + " out of 5 (" +
          all.rated_reviews + " rated)." : ".")));
    }
    var list = el("ul");
    var sources = (all.sources || []).filter(function (source) {
      return !opts.location || !source.location || source.location === opts.location;
    });
    var labels = sources.map(function (source) { return source.source_label; });
    sources.forEach(function (source) {
      var href = safeHref(source.source_url);
      var line = sourceLine(source);
      if (source.location_name && labels.indexOf(source.source_label) !== labels.lastIndexOf(source.source_label)) {
        line = " (" + source.location_name + ")" + line;
      }
      if (!href && !line) { return; }
      var li = el("li");
      if (href) {
        var link = el("a", null, "See all reviews on " + source.source_label);
        link.href = href;
        link.rel = "noopener noreferrer nofollow";
        li.appendChild(link);
      } else {
        li.appendChild(el("span", null, source.source_label));
      }
      li.appendChild(el("span", null, line));
      list.appendChild(li);
    });
    if (list.children.length) { box.appendChild(list); }
    return box;
  }

  function style(root) {
    try {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
      root.adoptedStyleSheets = [sheet];
    } catch (error) {
      root.appendChild(el("style", null, CSS));
    }
  }

  function render(host, opts, data) {
    var label = typeof data.page.label === "string" ? data.page.label.trim() : "";
    if (!label) {
      throw new Error("the published data has no disclosure label, so no testimonial is shown");
    }
    var root = host.shadowRoot || host.attachShadow({mode: "open"});
    while (root.firstChild) { root.removeChild(root.firstChild); }
    style(root);
    var id = "plaudit-" + (++counter);
    var section = el("section", "plaudit " + opts.layout);
    section.setAttribute("aria-labelledby", id + "-label");
    var heading = el("h2", "label", label);
    heading.id = id + "-label";
    section.appendChild(heading);
    section.appendChild(el("p", "note", "Chosen by " + (data.page.practice_name || "the practice") +
      " from patients' reviews; not a representative sample of all reviews."));
    var list = el("ul", "quotes");
    list.id = id + "-list";
    data.items.forEach(function (item) { list.appendChild(quote(item)); });
    if (data.items.length) { section.appendChild(list); } else { section.appendChild(el("p", null, "No testimonials to show yet.")); }
    if (opts.layout === "carousel" && data.items.length > 1) { carousel(section, list, id); }
    section.appendChild(summary(data, opts));
    root.appendChild(section);
  }

  function start(host) {
    if (host.getAttribute("data-plaudit-state")) { return; }
    host.setAttribute("data-plaudit-state", "loading");
    var opts = options(host);
    load(opts).then(function (data) {
      render(host, opts, data);
      host.setAttribute("data-plaudit-state", "ready");
    }).catch(function (error) {
      host.setAttribute("data-plaudit-state", "failed");
      console.error("Plaudit widget: " + error.message);
    });
  }

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-plaudit-testimonials]"), start);
  }

  window.PlauditWidget = {scan: scan};
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", scan); } else { scan(); }
})();
