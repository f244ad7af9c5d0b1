"""Pharmacy and sales spam, for the `spam` risk flag (details `pharmacy` and `sales`).

Review sites carry posts such as "No prescription needed, discreet delivery, 10% discount. WhatsApp only:
+1 (...), Wickr or Kik: ...". Each cue alone also appears in real patients' reviews ("no prescription changes
were needed", "the nurse texted me on WhatsApp", "a 10% discount for paying cash", "I was on Oxycodone"), so
cues are collected per kind and the post is spam only when they combine:
- `contact`: a messenger with a handle or number ("Wickr: rxking", "Telegram @shop", "WhatsApp +1 ...", "kik me");
- `no_rx`: an offer without a prescription or doctor ("no script needed", "without prescription", "no Rx");
- `discreet`: discreet, stealth or overnight delivery and shipping ("ship discreetly", "worldwide shipping");
- `sale`: an offer ("for sale", "order now", "buy ... online", "in stock", "reliable plug") or a deal ("promo code
  X", "20% off", "price list", "bulk discount");
- `drug`: a drug name from a list of controlled and much-counterfeited medicines; three or more distinct ones
  count as a drug list.
Two different kinds among contact, no_rx, discreet, sale and a drug list make the post spam; a single drug name
counts as a kind only next to a no_rx, discreet or offer cue ("buy Tramadol online"), never next to a discount
or a messenger alone ("10% off my Xanax refill", "texted the nurse about Tramadol on WhatsApp").
Detail `pharmacy` when a drug or no_rx cue is among them, else `sales`. Spans cover every sentence holding a
cue, so no sentence of the offer can be quoted. The rules favour precision: spam is never published
(`policy.NEVER_PUBLISHED`), and `bench/spam_set.py` measures both. Settings: none.
"""

from __future__ import annotations

import re
from functools import partial

from pipeline.judge.detectors.phrases import Prepared, rule
from pipeline.text import split_sentences

CUE = "sales_cue"  # rule name of the cues; `judge` turns them into a spam flag or drops them
MIN_DRUG_LIST = 3
# A single drug name counts only next to these (an offer of it), not next to a discount or a messenger.
_OFFERS = frozenset({"no_rx", "discreet", "offer"})

_cue = partial(rule, CUE)

_MESSENGERS = "whatsapp telegram wickr kik signal snapchat viber wechat threema"
_MESSENGER = f"(?:{_MESSENGERS.replace(' ', '|')})"
_PHONE = r"\+?\d{1,3}[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\+\d[\d\s().-]{7,}\d"
_DRUGS = """oxycodone oxy oxys oxycontin percocet percs perc roxicodone roxy roxies hydrocodone norco vicodin dilaudid
hydromorphone opana oxymorphone morphine fentanyl codeine tramadol tapentadol methadone suboxone subutex xanax
alprazolam valium diazepam klonopin clonazepam ativan lorazepam ambien zolpidem soma adderall vyvanse ritalin
modafinil armodafinil ketamine esketamine ketalar mdma lsd dmt heroin benzos benzo viagra cialis promethazine
ozempic wegovy semaglutide tirzepatide""".split()

RULES = [
    # "Wickr: rxking", "Wickr ID: calmmeds", "Telegram @shop", "WhatsApp +1 (213) 555-0187", "kik me"
    _cue("contact", _MESSENGERS,
         rf"\b{_MESSENGER}(?: (?:me|us|him|her|only|id|number|no|handle|username|or {_MESSENGER}))?"
         rf"(?: ?(?::|-|is|at|on)? ?(?:@[a-z0-9_.]{{3,}}|{_PHONE}|[a-z][a-z0-9_.]*\d[a-z0-9_.]*|[a-z0-9]+_[a-z0-9_]+)"
         r"| ?: ?[a-z][a-z0-9_.]{2,})"),
    _cue("contact", "channel group", rf"\b(?:join|follow) (?:our|my) {_MESSENGER} (?:channel|group)\b"),
    _cue("contact", "whatsapp telegram wickr kik snapchat", r"\b(?:whatsapp|telegram|wickr|kik|snapchat) (?:me|us)\b"),
    _cue("contact", _MESSENGERS, rf"\b{_MESSENGER}\b",
         lead=r"\b(?:contact|text|message|dm|hit (?:me|us) up|reach|add|ping|inbox)(?: (?:me|us|him|her|them))?"
              r" (?:on|via|at|through) "),
    _cue("no_rx", "prescription rx script scripts doctor",
         r"\b(?:no|without|w/o|without a|without any|no need for a?|no need of)"
         r" (?:prescription|rx|script|doctor(?:'s)? (?:visit|approval|note|needed|required))s?\b"
         r"(?! (?:change|was|were|is|for (?:the|my|this|that|a)\b))"),
    _cue("discreet", "discreet discreetly stealth stealthly",
         r"\b(?:discreet|stealth)(?:ly)? (?:delivery|deliveries|shipping|shipment|packaging|packing|package|mail"
         r"|shipped|delivered)\b|\b(?:ship|shipped|deliver|delivered|delivers|delivery|shipping)s?,?(?: [a-z]+){0,2}"
         r",? (?:discreetly|discreet)\b|\b100% discreet\b"),
    _cue("discreet", "discreet",
         r"\b(?:fast|quick|instant|safe|cheap|reliable|secure)(?:,| and)(?: [a-z]+(?:,| and))* discreet\b"
         r"|\bdiscreet(?:,| and) (?:fast|quick|instant|safe|cheap|reliable|secure)\b"),
    _cue("discreet", "worldwide overnight states same next",
         also="ship shipping shipped ships delivery deliver delivers deliverys",
         pattern=
         r"\b(?:ship|shipping|delivery|deliver)(?:s|ped)? (?:worldwide|to all 50 states|same day|overnight)\b"
         r"|\b(?:overnight|worldwide|next day) (?:delivery|shipping)\b"),
    _cue("offer", "sale", r"\bfor sale\b"),
    _cue("offer", "now today", r"\b(?:now|today)\b", lead=r"\b(?:order|buy|shop) ", also="order buy shop"),
    _cue("offer", "available", r"\bavailable now\b|\bnow available\b"),
    _cue("offer", "paid", r"\bget paid \$? ?\d"),
    _cue("offer", "guaranteed daily weekly monthly",
         r"\bguaranteed \d+% (?:returns?|profits?)\b|\b\d+% (?:daily|weekly|monthly) (?:returns?|profits?)\b"),
    _cue("offer", "online", r"\b(?:buy|order|purchase|get)(?: [a-z0-9]+){1,4} online\b"),
    _cue("offer", "selling sell vendor plug source stock",
         r"\b(?:we sell|selling|legit vendor|vendor of|vendor for|reliable plug|trusted source|in stock)\b"),
    _cue("deal", "code coupon promo", r"\b(?:promo|coupon|discount) code [a-z0-9]*\d[a-z0-9]*\b|\buse code [a-z0-9]+\b"),
    _cue("deal", "<percent>", r"\b\d{1,2}% (?:off|discount)\b"),
    _cue("deal", "price prices discount discounts",
         r"\b(?:price list|best prices?|lowest prices?|affordable prices|bulk discounts?)\b"),
    _cue("deal", "cheap", r"\bcheap (?:prices?|packages?|deals?|rates?)\b"),
]
# A drug name counts only beside another cue, so the drug rule waits for one of their gate words.
RULES.append(_cue("drug", "", r"\b{key}\b", keys={word: word for word in _DRUGS},
                  also=" ".join(sorted({gate for each in RULES for gate in each.gates}))))


def judge(found: dict[tuple[str, str], list[tuple[int, int]]], prepared: Prepared) -> None:
    """Replace the cues found by one spam flag (`pharmacy` or `sales`), or by nothing when they do not combine."""
    cues = {detail: found.pop((name, detail)) for name, detail in list(found) if name == CUE}
    if not cues:
        return
    kinds = {"sale" if kind in ("offer", "deal") else kind for kind in cues if kind != "drug"}
    drugs = {prepared.low[s:e] for s, e in cues.get("drug", [])}
    if len(drugs) >= MIN_DRUG_LIST or drugs and not _OFFERS.isdisjoint(cues):
        kinds.add("drug")
    if len(kinds) < 2:
        return
    detail = "pharmacy" if "drug" in kinds or "no_rx" in kinds else "sales"
    counted = [span for kind, spans in cues.items() if kind != "drug" or "drug" in kinds for span in spans]
    found[("spam", detail)] = _sentences_of(prepared.text, counted)


def _sentences_of(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences holding any of the spans, merged (a span across sentences keeps its own ends too)."""
    sentences = split_sentences(text)
    out = []
    for start, end in spans:
        covering = [(s, e) for s, e in sentences if s < end and start < e] or [(start, end)]
        out.append((min(start, covering[0][0]), max(end, covering[-1][1])))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(out):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
