"""Profanity in review text, for the `profanity` risk flag (detail `profanity`).

Driven by COMPLIANCE.md §3 and `policy.OUTSIDE_EXCERPT`: the review may still be quoted, but the excerpt must
stay clear of the flagged spans. A small curated list, matched as whole words so that Scunthorpe, classic,
assessment, cocktail, shiitake, Dickens and "a tiny prick" (a needle, in a pain clinic) are left alone.
Obfuscations are caught: "f***", "f**king", "sh*t", "sh!t", "$hit", "a**hole", "a$$", "b!tch", "fck", "fvck".
Mild words ("damn", "hell", "crap", "sucks") are not profanity here. Settings: none.
"""

from __future__ import annotations

from functools import partial

from pipeline.judge.detectors.phrases import rule

_profanity = partial(rule, "profanity", "profanity")

_NOT_AFTER = r"(?![\w*$@#!])"

# Each alternative opens with a literal (its left boundary checked just after it), so the engine searches fast;
# "$" forms are gated apart, since prices put a "$" in many reviews.
RULES = [
    _profanity("fuck fucks fucked fucker fuckers fucking fuckin fuckup fuckery motherfucker motherfuckers "
               "motherfucking fuk fuking fukin fck fcking fckin fcked fvck fvcking phuck phucking fuq <star> <at>",
               r"f(?<![\w*@#$!]f)[u*@#%!v]+c?k+(?:ing|in|ed|er|ers|s|up|ery)?" + _NOT_AFTER
               + r"|\bmotherf[u*@#%!v]+c?k+(?:ing|in|ed|er|ers|s)?" + _NOT_AFTER
               + r"|f(?<![\w*]f)\*{2,}(?:ing|in|ed|er)?" + _NOT_AFTER
               + r"|\bfck(?:ing|in|ed|er)?\b|\bfuq\b|\bphuck\w*"),
    _profanity("shit shits shitty shittier shittiest shithead shitheads shitshow shithole shitload bullshit "
               "horseshit dipshit sh1t sh <star>",
               r"s(?<![\w*$]s)[h*][i1!*]+[t*]+(?:s|ty|tier|tiest|head|heads|show|hole|load)?" + _NOT_AFTER
               + r"|\b(?:bull|horse|dip)s[h*][i1!*]+[t*]+s?" + _NOT_AFTER),
    _profanity("<dollar>", r"\$(?<![\w*$]\$)[h*][i1!*]+[t*]+(?:s|ty|head|show|hole)?" + _NOT_AFTER
               + r"|a(?<![\w*@$]a)\$\$(?:hole|holes|es)?(?![\w*$])"),
    _profanity("ass asses asshole assholes asshat jackass dumbass badass smartass kickass hardass <star> <at>",
               r"a(?<![\w*@$]a)[s*]{2}(?:hole|holes|hat|wipe|es)?(?![\w*$])"
               r"|@(?<![\w*@$]@)[s$*]{2}(?:hole|holes|es)?(?![\w*$])"
               r"|\b(?:dumb|jack|bad|smart|kick|hard)ass(?:es)?\b"),
    _profanity("bitch bitches bitchy bitching tch b1tch bastard bastards cunt cunts nt twat twats wank wanker "
               "wankers wanking dickhead dickheads piss pissed pisses pissing pissy douche douchebag douchebags "
               "goddamn goddamnit wtf stfu retard retarded retards <star>",
               r"\bbitch(?:es|y|ing|ed)?\b|\bb[i1!*]tch(?:es|y)?\b|\bbastards?\b|\bcunts?\b|\bc\*nt\b|\btwats?\b"
               r"|\bwank(?:er|ers|ing)?\b|\bdickheads?\b|\bpiss(?:ed|es|ing|y)?\b|\bdouche(?:bag|bags)?\b"
               r"|\bgoddamn(?:it)?\b|\bwtf\b|\bstfu\b|\bretard(?:ed|s)?\b"),
]
