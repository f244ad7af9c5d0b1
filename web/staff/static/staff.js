// Plaudit staff app: keyboard shortcuts on the queue, and word striking in the excerpt editor.
// Review text is only ever read and written with textContent / value: never parsed as HTML.
(function () {
  "use strict";

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function queueShortcuts() {
    var rows = Array.prototype.slice.call(document.querySelectorAll(".quote-row"));
    if (!rows.length) return;
    var current = -1;
    function select(index) {
      if (index < 0 || index >= rows.length) return;
      if (current >= 0) rows[current].classList.remove("current");
      current = index;
      rows[current].classList.add("current");
      rows[current].querySelector("a.open").focus();
    }
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      var row = rows[current];
      if (event.key === "j") { select(current + 1); event.preventDefault(); }
      else if (event.key === "k") { select(Math.max(0, current - 1)); event.preventDefault(); }
      else if (event.key === "o" && row) { row.querySelector("a.open").click(); }
      else if (event.key === "a" && row && row.querySelector(".approve-form")) { row.querySelector(".approve-form").requestSubmit(); }
      else if (event.key === "r" && row && row.querySelector(".reject-form")) { row.querySelector(".reject-form").requestSubmit(); }
      else if (event.key === "/") { var s = document.getElementById("f-text"); if (s) { s.focus(); event.preventDefault(); } }
    });
  }

  function wordStriking() {
    var pane = document.getElementById("original-text");
    var box = document.getElementById("excerpt");
    if (!pane || !box || Number(pane.dataset.textLength) > 20000) return;
    var text = pane.textContent;
    var re = /[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]/gu, m, tokens = [];
    while ((m = re.exec(text)) !== null) tokens.push({ start: m.index, end: m.index + m[0].length });
    var kept = tokens.map(function () { return true; });
    // start from the current excerpt's kept pieces when the pane shows a diff
    var struck = pane.querySelectorAll("del");
    if (struck.length) {
      var offset = 0, ranges = [];
      Array.prototype.forEach.call(pane.childNodes, function (node) {
        var len = node.textContent.length;
        if (node.nodeName === "DEL") ranges.push([offset, offset + len]);
        offset += len;
      });
      tokens.forEach(function (tok, i) {
        kept[i] = !ranges.some(function (r) { return tok.start >= r[0] && tok.end <= r[1]; });
      });
    }
    pane.textContent = "";
    var last = 0, spans = [];
    tokens.forEach(function (tok, i) {
      if (tok.start > last) pane.appendChild(document.createTextNode(text.slice(last, tok.start)));
      var span = document.createElement("span");
      span.textContent = text.slice(tok.start, tok.end);
      span.className = "word" + (kept[i] ? "" : " struck");
      span.addEventListener("click", function () {
        kept[i] = !kept[i];
        span.classList.toggle("struck", !kept[i]);
        box.value = excerpt();
      });
      pane.appendChild(span);
      spans.push(span);
      last = tok.end;
    });
    if (last < text.length) pane.appendChild(document.createTextNode(text.slice(last)));
    pane.classList.add("strikable");

    function excerpt() {
      var pieces = [], run = null, gap = false;
      tokens.forEach(function (tok, i) {
        if (!kept[i]) { if (run) { pieces.push(run); run = null; } gap = pieces.length > 0; return; }
        if (run && !gap) { run.end = tok.end; return; }
        if (run) pieces.push(run);
        run = { start: tok.start, end: tok.end, elided: gap };
        gap = false;
      });
      if (run) pieces.push(run);
      return pieces.map(function (p, i) {
        var piece = text.slice(p.start, p.end);
        return i === 0 ? piece : (p.elided ? " … " : " ") + piece;
      }).join("");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    queueShortcuts();
    wordStriking();
  });
})();
