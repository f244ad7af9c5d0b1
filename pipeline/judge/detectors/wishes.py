"""Requests, wishes, counterfactuals and improvement suggestions, sentence by sentence: they are not praise.

Answers to "what could we do better?" are written politely, and VADER reads their polite words as praise:
"Would be good to have more staff at weekends", "If the waiting time were shorter it would have been great",
"Please bring back the evening classes". The scorer caps such sentences at neutral and the excerpt builder
leaves them out (`pipeline.judge.sentiment`, `pipeline.publish.quotes`).

How a sentence is read, by classes of language rather than by examples:
1. Answers that there is nothing to improve ("Nothing, everything was perfect", "N/A") are not suggestions.
2. Praise idioms that look like wishes are blanked out first: "would recommend", "would come back",
   "if I could give ten stars", "if it weren't for Dr. Lee", "keep up the good work", "don't change a thing",
   "I wish I had found them sooner", "I wish every doctor were like her", "they should be proud".
3. What is left is searched for the forms of a wish: modal verdicts ("would be good/nice to", "would help",
   "could be better", "could use"), wishes and hopes about the practice, "should" and "need(s)" about the
   practice, "please" and other requests, counterfactuals ("if only", "would have been great if", "five stars
   if"), imperatives to the practice at the start ("Hire more staff", "Improve communication"), and
   verbless comparative fragments ("More parking.", "Shorter wait times.").
Only sentences holding a trigger word (or starting with an imperative or comparative) are read at all, so a
review without any costs one regex scan (`bench/wishes.py` prints precision, recall and the cost).
Settings: none.
"""

from __future__ import annotations

import re

# A sentence is only read when one of these words occurs, or when it starts with an imperative or a
# comparative (checked on its first word).
_TRIGGERS = ("would wouldn could should ought 'd please pls plz kindly wish wished hope hoping hopefully need needs "
             "needed if improve improvement improvements suggest suggests suggested suggestion suggestions consider "
             "considered maybe perhaps why request requested requesting plea only recommend must required").split()

_IMPERATIVES = frozenset("""
hire employ add train improve fix update extend open offer provide install invest lower reduce shorten stop start
send answer return respond get make consider allow let put clean upgrade expand increase schedule listen inform
explain have give try do don't dont communicate bring call keep
""".split())
# Imperatives that are also nouns or adjectives at the start of a statement ("Update: ...", "Lower back pain",
# "Have been coming for years"): only read as imperatives before an object from _OBJECT or a gerund.
_AMBIGUOUS = frozenset("update clean lower start return increase schedule call open answer have try give get make "
                       "keep do bring let put stop fix".split())
# Words after a verb that make the sentence a statement, not an instruction.
_NOT_OBJECT = frozenset("been and or as of was were is are me my them her him it you from with at by visit visits "
                        "time times".split())
# What follows an imperative addressed to the practice: what to change, not whom to visit ("Call them").
_OBJECT = re.compile(
    r"(?:the|your|more|a|an|some|patients?|people|us|things|better|less|fewer|extra|another|all|any|online|proper|"
    r"clear|clearer|up|on|sure|something|back|out|prices|hours|parking|appointments?|staff|nurses|reminders?|"
    r"phones?|calls?|communication|follow-?ups?|weekend|evening|earlier|later|longer|shorter|text|email|"
    r"options?|care|someone|signs?|signage|information|info|forms?|waiting|wait|double|\w+ing)\b")
_DONT = re.compile(r"(?:don'?t|dont|do\s+not)\s+(?:ever\s+)?(?:make|keep|let|leave|rush|ignore|overbook|double|charge|"
                   r"cancel|schedule|send|put|hang|forget\s+(?:about\s+)?(?:patients|us|to\s+(?:call|tell|send)))\b")
_COMPARATIVES = frozenset("""
more better less fewer shorter longer quicker faster clearer bigger earlier later extra additional cheaper easier
smaller quieter warmer cooler cleaner friendlier improved increased reduced lower larger nicer
""".split())
_LEADS = frozenset("maybe perhaps just also and so please but definitely really probably possibly".split())
# The trigger words as runs of a-z (apostrophes split "'d" off), to test a whole review with one set operation.
TRIGGER_WORDS = frozenset(w.strip("'").encode() for w in _TRIGGERS)
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))  # a-z kept, all else a space
_PUNCT = "\"'(*-\u2022,.!?:;"

# 1. "Nothing, everything was perfect": the answer to "anything we could improve?" is satisfaction.
_NOTHING = re.compile(
    r"^\W*(?:honestly\s+|really\s+|absolutely\s+|just\s+)?(?:nothing|none|nope|n/?a|nil|not\s+a\s+thing|"
    r"not\s+really|no(?:\s+(?:suggestions?|improvements?|changes?|complaints?|comments?))?\s*[,.!-]|"
    r"no\s+(?:suggestions?|improvements?|changes?|complaints?)(?:\s+(?:needed|necessary|required))?\b|"
    r"(?:i\s+)?(?:can'?t|cannot|couldn'?t)\s+think\s+of|there\s+is\s+nothing|there'?s\s+nothing|"
    r"all\s+good|everything\s+(?:was|is)\s+(?:perfect|great|fine|excellent))")

_STARS = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|100|more|all\s+the|extra)\s+stars?"
_PRACTICE = (r"(?:they|you|y'all|you\s+guys|someone|somebody|management|staff|the\s+(?:\w+\s+){0,2}?(?:staff|office|"
             r"clinic|practice|management|desk|team|doctors?|nurses?|hospital|center|centre|receptionists?|"
             r"reception|billing|department|owners?|front)|everyone\s+(?:there|at\s+the\s+\w+)|it|this|there)")
# Who a hope is about when it asks something of the practice ("I hope management reads this").
_HOPED = _PRACTICE.replace("|it|this|there)", ")")
_READER_VERBS = (r"(?:go|see|try|visit|book|come|call\s+(?:them|her|him)|check\s+(?:them|it|her|him)\s+out|"
                 r"give\s+(?:them|her|him)|trust|ask\s+for|look\s+no\s+further)")
_PRAISE_PASSIVES = (r"(?:proud|commended|praised|thanked|recogni[sz]ed|rewarded|applauded|congratulated|"
                    r"ashamed|emulated|cloned|studied)")

# 2. Praise that looks like a wish, blanked out before the wish forms are looked for: (words one of which must
# occur in the sentence for the pattern to be tried, pattern), in order.
_PRAISE: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (tuple(words.split()), re.compile(pattern)) for words, pattern in (
        ("recommend",
         r"\b(?:would|will|'d|wouldn'?t\s+hesitate\s+to)\s+(?:\w+\s+)?recommend(?!\s+(?:that\s+)?(?:they|the\s+"
         r"(?:clinic|office|staff|practice|management)|having|adding|\w+ing)\b)"),
        ("would will 'd",
         r"\b(?:would|will|'d)\s+(?:\w+\s+)?(?:come|go|be\s+coming|be\s+going|return|be\s+back|do\s+it)(?:\s+(?:back|"
         r"again|here))?\b(?!\s+if\b)|\bwould(?:\s+not|n'?t)\s+(?:go|want\s+to\s+go|trust)\s+anywhere\s+else|"
         rf"\b(?:would|'d)\s+(?:\w+\s+){{0,2}}?(?:give|rate)\s+(?:\w+\s+){{0,3}}?(?:{_STARS}|more\s+than\s+\w+)"
         r"(?:\s+if\s+(?:i|we)\s+(?:could|can|were\s+able|was\s+able)(?:\s+to)?|\s+if\s+possible)|"
         r"\bwould(?:\s+not|n'?t)\s+(?:be|have\s+been)\s+(?:here|alive|walking|working)\b|"
         r"\bwould\s+have\s+(?:been\s+(?:lost|dead|in\s+a\s+wheelchair)|given\s+up|died)\b"),
        ("if without",
         r"\bif\s+(?:i|we)\s+(?:could|can)\s+(?:give|rate|leave)\b[^,.;]*|\bif\s+(?:it\s+)?(?:were|was|had)\s*"
         r"(?:n'?t|not)\s+(?:been\s+)?for\b|\bif\s+not\s+for\b|\bwithout\s+(?:them|her|him|you|this|dr|the)\b"),
        ("please",
         r"\bplease\s+(?:do\s+)?(?:pass|thank|accept|know|continue|never|keep\s+(?:up|doing|it\s+up|going|being)|"
         r"don'?t\s+(?:change|hesitate)|go|see|visit|come|book|try|call\s+them|give\s+them|check\s+them)\b"),
        ("keep kept", r"\b(?:keep|kept)\s+(?:up|on|it\s+up|doing|going|being)\b(?:\s+(?:the|your|all|what)\b)?"),
        ("change", r"\b(?:don'?t|do\s+not|never|please\s+don'?t)\s+(?:ever\s+)?change\b"),
        ("wish",
         r"\bwish(?:ed)?\s+(?:that\s+)?(?:i|we)\s+(?:had|could\s+give|could\s+rate|'d|would\s+have|found|knew|came|"
         r"started)\b[^,.;]*?\b(?:sooner|earlier|before|ago|stars?|more\s+than)\b|"
         r"\bwish(?:ed)?\s+(?:that\s+)?(?:every|all|other|more|most)\s+(?:\w+\s+){0,2}?(?:doctors?|clinics?|"
         r"offices?|practices?|nurses?|places?|hospitals?|providers?|people|physicians?|staff|businesses)\b|"
         r"\bbest\s+wishes\b"),
        ("wish hope",
         r"\b(?:wish(?:es)?|hope)\s+(?:you|them|her|him|everyone|the\s+(?:\w+\s+)?(?:team|staff|hospital|clinic|"
         r"doctors?|nurses?|practice))\s+(?:all\s+)?(?:the\s+best|well|luck|a\s+(?:grand|great|good|bright|happy)|"
         r"success|good|continued|many)\b|\bhope\s+to\s+(?:see|be|come|have)\b|\bhope\s+(?:you|they|she|he|"
         r"y'all)\s+(?:all\s+)?(?:have|had|enjoy|feel|get\s+well|are\s+(?:well|doing|feeling)|know|realize)\b|"
         r"\bhope\s+(?:every|all|everyone|anyone|others|more\s+people)\b"),
        ("should ought need",
         rf"\b(?:should|ought\s+to)\s+(?:all\s+)?be\s+(?:so\s+|very\s+|really\s+)?{_PRAISE_PASSIVES}\b|"
         r"\bshould\s+be\s+like\b|\b(?:need|needs)\s+(?:more|to\s+be\s+more)\s+(?:[\w'-]+\s+){0,3}?like\b|"
         r"\bneed(?:s)?\s+to\s+be\s+(?:commended|praised|thanked|recogni[sz]ed)\b|"
         r"\b(?:i|we)\s+should\s+have\b|^\W*should\s+have\s+(?:come|gone|found|done|started|switched|booked)\b|"
         rf"\b(?:everyone|anyone|people|you)\s+(?:\w+\s+)?(?:should|need\s+to|needs\s+to|must)\s+(?:really\s+)?"
         rf"(?:{_READER_VERBS}|know)\b|"
         r"\b(?:need|needs|needed)\s+(?:a|an|someone|somebody|help|answers?|relief|care)\b[^,.;]*?\b(?:go|went|"
         r"came|gave|found|got|they|these|this)\b"),
        ("could can",
         r"\b(?:could|can|couldn'?t|cannot|can'?t)\s+(?:not\s+)?(?:tell|finally|now|again|walk|sleep|breathe|"
         r"function|work|move|run|drive|see|feel|believe|thank|ask)\b|\b(?:could|can)\s+not\b|\bcouldn'?t\b|"
         r"\bcan'?t\b"),
        ("more better less", r"\bmore\s+of\s+the\s+same\b|\b(?:more|better|less)\s+than\b"),
        ("consider", r"\bconsider(?:ed)?\s+(?:myself|ourselves|it|them|this)\s+(?:lucky|fortunate|blessed)\b"),
        ("hesitate regret", r"\bhesitate\b|\bwon'?t\s+regret\b|\bwill\s+not\s+regret\b"),
    ))

_ADJ_GOOD = (r"(?:good|nice|great|helpful|better|ideal|lovely|useful|wonderful|awesome|perfect|a\s+plus|appreciated|"
             r"amazing|beneficial|easier|convenient|welcome|fantastic|excellent|a\s+(?:good|great|nice)\s+"
             r"(?:idea|touch|addition|help|improvement|change)|even\s+better|smoother|simpler|faster|quicker|"
             r"a\s+big\s+help|huge|cool|handy|valuable|worthwhile)")

# 3. The forms of a wish, request, counterfactual or improvement suggestion: (kind, the trigger words one of
# which a sentence must hold for the form to be tried, pattern).
_FORMS: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...] = tuple(
    (kind, frozenset(w.strip("'").encode() for w in words.split()), re.compile(pattern)) for kind, words, pattern in (
        ("counterfactual", "if only would 'd could",
         r"\bif\s+only\b|\b(?:would|'d)\s+have\s+(?:\w+\s+)?(?:been|given|rated|stayed|come|returned|liked|loved|"
         r"preferred|appreciated)\b|\bcould\s+have\s+been\b|"
         rf"\b{_STARS}\s+if\b|\bif\s+(?:[\w'-]+\s+){{1,8}}?(?:were|was|had|did|could|would)\b[^.;]*\bwould\b|"
         r"\bwould\s+(?:\w+\s+){0,3}?if\b"),
        ("suggestion", "would 'd",
         rf"\b(?:would|'d)\s+(?:really\s+|also\s+|definitely\s+|certainly\s+|be\s+)?(?:be|make\s+(?:it|things|life|"
         rf"a\s+\w+))\s+(?:so\s+|really\s+|very\s+|much\s+|a\s+lot\s+|far\s+|extremely\s+|super\s+)?(?:more\s+)?"
         rf"{_ADJ_GOOD}\b"),
        ("suggestion", "would 'd could",
         r"\b(?:would|'d|could)\s+(?:really\s+|also\s+|definitely\s+|greatly\s+|certainly\s+)?(?:help|improve|"
         r"make\s+a\s+(?:big\s+|huge\s+)?difference)\b"),
        ("wish", "would 'd",
         r"\b(?:i|we)\s*(?:would|'d)\s+(?:really\s+|also\s+|much\s+|definitely\s+)?(?:like|love|prefer|appreciate|"
         r"want)\b(?!\s+to\s+(?:thank|say|give|recommend|express|shout|praise|commend|come|return|go|share|mention|"
         r"acknowledge|add\s+that))"),
        ("suggestion", "only would 'd could suggestion improvement request",
         r"\b(?:(?:only|one|main|biggest|a|my)\s+)+(?:thing|suggestion|change|improvement|request|criticism|"
         r"critique|feedback)\s+(?:(?:i|we)\s*(?:would|'d|could|might)\s+\w+\s+)?(?:is|was|would\s+be|:|-)"),
        ("suggestion", "suggest suggested suggestion suggestions",
         r"\b(?:i|we)\s*(?:would\s+|'d\s+|will\s+|strongly\s+|just\s+|also\s+|highly\s+|do\s+)*suggest(?:ed)?\s+"
         r"(?:that|they|the|adding|having|\w+ing|more|better|a|an|some|u|you\s+(?:to\s+)?(?:do|have|add|hire|get|"
         r"improve|make|put|offer|provide|consider|keep|give))\b|\b(?:my|one|only|a|main|small|minor|little|"
         r"another|some|few|couple\s+of|two|biggest)\s+suggestions?\b|\bsuggestions?\s*[:-]"),
        ("suggestion", "recommend improve improvement improvements",
         r"\brecommend(?:s|ed)?\s+(?:that\s+)?(?:they|the\s+(?:clinic|office|staff|practice|management)|having|"
         r"adding|\w+ing)\b|\broom\s+for\s+improvement\b|\bareas?\s+(?:for|of|to)\s+improve(?:ment)?\b|"
         r"\bimprovements?\s+(?:needed|required|would)\b|\bcan\s+(?:definitely\s+|really\s+|still\s+|surely\s+)?"
         r"(?:improve|be\s+improved)\s*(?:[.!,;]|$|a\s+lot|more|further|on\b|in\b)"),
        ("suggestion", "should ought must could need needs",
         rf"(?:\b{_PRACTICE}\s+(?:really\s+|also\s+|definitely\s+|seriously\s+|just\s+)?(?:should|ought\s+to|must|"
         rf"could)|\b(?!you\b){_PRACTICE}\s+(?:really\s+|also\s+|definitely\s+|seriously\s+|just\s+)?(?:need\s+to|"
         r"needs\s+to|has\s+to|have\s+to))\s+(?!be\s+(?:proud|commended))(?:really\s+|also\s+|definitely\s+|"
         r"seriously\s+)?(?:be\s+(?:more|less|better|improved|fixed|updated|changed|cleaner|shorter|faster|quicker|"
         r"friendlier|clearer|open|available|on\s+time)|improve|hire|fix|work\s+on|answer|call|update|change|get|"
         r"train|listen|communicate|stop|start|learn|do\s+(?:better|something)|have|offer|add|provide|look|consider|"
         r"invest|check|extend|open|keep|make|send|let|tell|give|explain|return|respond|reduce|lower|use|try)\b"),
        ("suggestion", "should ought need needs",
         r"\bshould\s+(?:be|have\s+been)\s+(?:more|less|better|improved|fixed|updated|changed|cleaner|shorter|"
         r"faster|quicker|friendlier|clearer|available)\b|\bthere\s+(?:should|ought\s+to|needs?\s+to)\s+be\b"),
        ("suggestion", "need needs needed required",
         r"(?<!\byou\s)(?<!\bi\s)(?<!\bwe\s)\b(?:needs?|needed|requires?)\s+(?:to\s+be\s+)?(?:some\s+|a\s+lot\s+of\s+|"
         r"serious\s+|more\s+|major\s+|a\s+little\s+|a\s+bit\s+of\s+|real\s+)?(?:work|improvement|improving|"
         r"improved|updating|updated|fixing|fixed|changing|changed|attention|looking\s+at|addressing|addressed|"
         r"sorting|sorted)\b|\b(?:need|needs)\s+(?:a\s+|an\s+)?(?:better|more|another|extra|second|bigger|new|"
         r"additional|proper|real)\b|\b(?:is|are|be)\s+(?:badly\s+|really\s+|definitely\s+|urgently\s+)?(?:needed|"
         r"required|necessary)\b|^\W*(?!(?:i|we|you|they|he|she|it|everything|what|exactly|all|just)\b)"
         r"(?:[\w'-]+\s+){1,5}?(?:badly\s+|really\s+|definitely\s+|urgently\s+)?(?:needed|required)\s*[.!]*$"),
        ("suggestion", "could",
         r"\bcould\s+(?:really\s+|definitely\s+|still\s+|certainly\s+)?(?:use|do\s+with)\b|"
         r"\bcould\s+(?:be|get)\s+(?:a\s+(?:bit|little|lot)\s+|much\s+|way\s+|so\s+much\s+|slightly\s+|"
         r"somewhat\s+)?(?:better|improved|faster|quicker|shorter|friendlier|clearer|cleaner|nicer|more|less|"
         r"smoother|easier|simpler|handled\s+better|organi[sz]ed\s+better|warmer|quieter|bigger)\b|"
         r"\bcould\s+(?:really\s+|definitely\s+)?(?:improve|work\s+on|do\s+better|be\s+improved)\b"),
        ("request", "could would please pls plz kindly request requesting plea",
         r"^\W*(?:could|can|would|will)\s+(?:you|they|someone|the\s+\w+)\b|\b(?:please|pls|plz)\b|"
         r"\bkindly\s+(?:do|look|provide|arrange|improve|make|check|reply|respond|consider|help|ask|take|give|send|"
         r"update|fix|allow|add|reduce|train|ensure|hire)\b|\b(?:i|we)\s+(?:would\s+|'d\s+)?(?:request|ask|beg|"
         r"urge|appeal\s+to)\b|\brequesting\b|\bplea\b"),
        ("wish", "wish wished", r"\bwish(?:ed)?\b(?!\s+to\b)"),
        ("wish", "hope hopefully hoping",
         rf"\bhope\s+(?:that\s+)?{_HOPED}\b|\bhopefully\s+(?:{_HOPED}|next|one\s+day|soon)\b|"
         r"\bhoping\s+(?:that\s+)?(?:they|you|the)\b"),
        ("suggestion", "why consider considered",
         r"\bwhy\s+(?:not|don'?t|doesn'?t|do\s+not|can'?t|isn'?t|aren'?t|won'?t|couldn'?t)\b|"
         r"\bconsider(?:ing)?\s+(?:\w+ing|a|an|more|the|some|having|hiring)\b|"
         r"\bhave\s+you\s+(?:ever\s+)?(?:considered|thought\s+(?:about|of))\b"),
        ("suggestion", "maybe perhaps",
         r"^\W*(?:maybe|perhaps)\s+(?:a|an|some|more|better|less|fewer|offer|add|have|consider|get|hire|provide|"
         r"try|put|text|send|call|you|they|the\s+\w+\s+(?:could|should|can)|having|adding|offering|an?\s+option)\b"),
    ))

# Imperatives that are advice to other patients or thanks, not requests to the practice.
_ADVICE = re.compile(
    r"^(?:try|give|call|get|make|have|do|don'?t|dont|keep|let|bring|go)\s+(?:them|her|him|it|yourself|to\s+avoid|"
    r"an?\s+(?:appointment|call|try|chance|visit)|your\s+(?:appointment|self)|sure\s+(?:to|you)|"
    r"(?:\w+\s+)?(?:ketamine|treatment|infusions?|therapy)\b(?!\s+(?:more|cheaper|available))|"
    r"a\s+(?:try|call|chance)|wait|hesitate|miss|walk|run|look|worry|be\s+afraid|fear|give\s+up|"
    r"the\s+(?:leap|plunge|step|chance))\b|^(?:get|have)\s+(?:well|better|your\s+life)\b")
_STATEMENT_VERBS = re.compile(
    r"\b(?:is|are|was|were|am|'m|'re|'s|been|feel|feels|felt|had|has|have|got|gave|made|helped|did|went|came|"
    r"since|now|ever|already|today|finally|than|should|would|could|will|can|be|must|do|does)\b")
_OUTCOMES = re.compile(
    r"^\W*(?:\w+\s+){0,2}?(?:pain|anxiety|depression|sleep|mood|energy|life|days|nights|health|mobility|focus|"
    r"headaches?|migraines?|stress|symptoms?|cravings?|nausea|side\s+effects?|worry|fear|panic|suffering|"
    r"discomfort|inflammation|flare|flares|flare-ups|bad\s+days|good\s+days|hope|confidence|quality)\b")


def has_trigger_words(text: str) -> bool:
    """Whether any trigger word occurs in the text (a set test, ~4 us for 80 words; the scorer asks once per
    review). Without one, only sentences starting with an imperative or a comparative can be wishes."""
    return not TRIGGER_WORDS.isdisjoint(_words(text.lower()))


def _words(lower: str) -> list[bytes]:
    """The runs of a-z in lower-cased text ("i'd" gives "i" and "d", "wouldn't" gives "wouldn" and "t")."""
    return lower.encode("ascii", "replace").translate(_LETTERS_ONLY).split()


def is_wish(sentence: str, triggered: bool = True) -> bool:
    """Whether a sentence is a request, wish, counterfactual or improvement suggestion rather than praise.

    `triggered=False` says the review holds no trigger word (`has_trigger_words`), which skips that search.
    """
    return explain(sentence, triggered) is not None


def wish_kind(sentence: str) -> str | None:
    """'request', 'wish', 'counterfactual' or 'suggestion' for such a sentence; None for anything else."""
    found = explain(sentence)
    return found[0] if found else None


def explain(sentence: str, triggered: bool = True) -> tuple[str, str] | None:
    """(kind, the words that made it one) for a wish sentence, None otherwise (to see why a sentence counts)."""
    words = sentence.split(None, 2)
    if not words:
        return None
    first = _word(words[0])
    lead = _word(words[1]) if first in _LEADS and len(words) > 1 else first
    if not triggered and lead not in _IMPERATIVES and lead not in _COMPARATIVES:
        return None
    lower = sentence.lower().replace("\u2019", "'").replace("\u2018", "'").strip()
    present = TRIGGER_WORDS.intersection(_words(lower)) if triggered else frozenset()
    if not present and lead not in _IMPERATIVES and lead not in _COMPARATIVES:
        return None
    if _NOTHING.match(lower):
        return None
    # Blanking the praise idioms is the slow step, so it waits until a wish form matches the raw sentence (it
    # only removes text, so a form that misses the raw sentence misses the blanked one too).
    found = _form(lower, present) if present else None
    rest = _blank_praise(lower) if found or lead in _IMPERATIVES else lower
    found = found and _form(rest, present)
    if found:
        return found
    if lead in _IMPERATIVES and _imperative(rest, first, lead):
        return "suggestion", f"imperative {lead!r}"
    if lead in _COMPARATIVES and _fragment(rest):
        return "suggestion", f"fragment {lead!r}"
    return None


def _blank_praise(lower: str) -> str:
    """The sentence with its praise idioms replaced by "~" ("would recommend", "keep up the good work")."""
    for words, pattern in _PRAISE:
        if any(word in lower for word in words):
            lower = pattern.sub(" ~ ", lower)
    return lower


def _form(text: str, present: frozenset[bytes]) -> tuple[str, str] | None:
    """The first wish form whose trigger words are `present` and which matches the text."""
    for kind, words, pattern in _FORMS:
        if not words.isdisjoint(present):
            m = pattern.search(text)
            if m:
                return kind, m.group(0)
    return None


def _word(token: str) -> str:
    return token.lower().replace("\u2019", "'").strip(_PUNCT)


def _imperative(rest: str, first: str, lead: str) -> bool:
    """An instruction to the practice at the start of the sentence ("Hire more staff", "Don't make us wait")."""
    body = rest.lstrip("\"'(*-• ")
    if first != lead:
        body = body.split(None, 1)[1] if len(body.split(None, 1)) > 1 else ""
    parts = body.split(None, 1)
    if not parts or parts[0] != lead or _ADVICE.match(body) or "~" in body.split(None, 3)[:3]:
        return False
    if lead in ("don't", "dont", "do"):
        return _DONT.match(body) is not None or body.startswith(("do something", "do better", "do more"))
    if len(parts) < 2:
        return False
    if lead in _AMBIGUOUS:
        return _OBJECT.match(parts[1]) is not None or (lead == "try" and parts[1].startswith("to "))
    return parts[1].split(None, 1)[0].strip(",.;:!") not in _NOT_OBJECT


def _fragment(rest: str) -> bool:
    """A verbless comparative naming what the practice could add ("More parking.", "Shorter wait times.")."""
    if "~" in rest or _STATEMENT_VERBS.search(rest) or _OUTCOMES.match(rest.split(None, 1)[-1]):
        return False
    return len(rest.split()) >= 2
