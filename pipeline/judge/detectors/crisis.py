"""Crisis language: suicide, self-harm and overdose phrases, for the `crisis` risk flag.

Driven by COMPLIANCE.md §3 ("crisis language is never published and is shown to staff first") and CLAIM-05 in
notes/compliance-requirements.md: a crisis flag routes the review to a clinician. This is a safety feature, so
the rules err towards flagging: tense, negation and hedging are ignored ("I was suicidal years ago", "no
suicidal thoughts since" both flag), and so are idioms that usually mean ideation ("wanted to end it all",
"didn't want to be here anymore", "better off without me", "dark thoughts"). A false flag costs a staff
member a read; a missed one can cost a life. So "a news story about an overdose" flags too. The rules only
avoid the idioms that are plainly not about the patient harming themselves: "killer service", "this wait is
killing me", "to die for", "dying to try", "cutting-edge", "taking my life back", "shooting myself in the
foot", "didn't want to go on the waitlist", injuries ("hurt myself at work", "cut myself shaving") and "no
risk of overdose" (a safety claim, flagged as such in `claims.py`). "I was in a dark place" is common in
recovery stories and is not flagged on its own; "dark thoughts" is. Details: `suicide`, `self_harm`,
`overdose`. Settings: none.
"""

from __future__ import annotations

from functools import partial

from pipeline.judge.detectors.phrases import rule

_crisis = partial(rule, "crisis")

_WANT = r"(?:want(?:ed|ing|s)?|wish(?:ed|ing)?)"
_NOT = r"(?:do not|don't|didn't|did not|doesn't|does not|no longer|never|not|stopped|stop)"
_INJURY_CONTEXT = (r"(?! (?:at work|at the gym|on the job|lifting|playing|skiing|working out|exercising|shaving|"
                   r"cooking|falling|gardening|moving|in a (?:fall|car accident|car crash|wreck|accident)|by accident|"
                   r"while (?:working|lifting|playing|cooking|shaving|exercising|running|gardening|moving)))")
_KILL = (r"\b(?:kill(?:ing|ed|s)?|hang(?:ing|ed|s)?|shoot(?:ing|s)?|shot|drown(?:ing|ed)?|poison(?:ing|ed)?) ")
_HURT = (r"\b(?:hurt(?:ing|s)?|harm(?:ing|ed|s)?|cut(?:ting|s)?|burn(?:ing|ed|t|s)?|scratch(?:ing|ed)?|"
         r"starv(?:e|ing|ed)) ")
_CUTTING = r"started|stopped|quit|relapsed(?: into| on)?|urges? to|urge of|back to|resisted|resisting"
_GO_ON_END = r"(?=[,.;!?]|$| anymore| any more| any longer| living| like this)"  # not "go on the waitlist"

SUICIDE = [
    _crisis("suicide", "suicide suicides suicidal suicidality suicidally ideation", r"\bsuicid\w*|\bideation\b"),
    _crisis("suicide", "myself", r"\bmyself\b(?! in the foot)", lead=_KILL),
    _crisis("suicide", "life", r"\b(?:my|his|her|their) (?:own )?life\b(?! back)",
            lead=r"\b(?:take|took|taking|takes|end|ended|ending|ends) ",
            also="take took taking takes end ended ending ends"),
    _crisis("suicide", "living", r"\bworth living\b", lead=r"\b(?:not|wasn't|isn't|no longer|never|weren't) "),
    _crisis("suicide", "life living", r"\bup on (?:life|living)\b", lead=r"\b(?:give|gave|giving|given) "),
    _crisis("suicide", "tired", r"\btired of (?:living|life|being alive)\b"),
    _crisis("suicide", "end ending ended", r"\bend(?:ing|ed)? it all\b"),
    _crisis("suicide", "end", r"\bto end (?:it|things|everything|my life)\b",
            lead=r"\b(?:wanted|want|wanting|going|ready|tried|trying|planned|planning|decided|about) ",
            also="wanted want wanting going ready tried trying planned planning decided about"),
    _crisis("suicide", "ending", r"\bending (?:it|things|everything|my life)\b",
            lead=r"\b(?:thought|thinking|thoughts) (?:about|of) "),
    _crisis("suicide", "die", r"\bto (?:just )?die\b",
            lead=rf"\b(?:{_WANT}|ready|pray(?:ed|ing)?|hop(?:ed|ing)|long(?:ed|ing)) "),
    _crisis("suicide", "dead", r"\bi (?:was|were|could be) dead\b", lead=rf"\b{_WANT} (?:that )?"),
    _crisis("suicide", "dead", r"\bto be dead\b", lead=rf"\b{_WANT} "),
    _crisis("suicide", "dead", r"\bbetter off dead\b|\brather be dead\b|\bsooner be dead\b"),
    _crisis("suicide", "dying death", r"\bthoughts? (?:of|about) (?:dying|death|my death|my own death)\b"),
    _crisis("suicide", "alive live exist wake go going living",
            r"\bto (?:be alive|live|exist|keep living)\b|\bto wake up\b(?! early| at| for| so| before| in time)"
            rf"|\bto (?:go on|keep going)\b{_GO_ON_END}", lead=rf"\b{_NOT} {_WANT} "),
    _crisis("suicide", "anymore more longer earth", r"\bto be here (?:anymore|any more|any longer|on this earth)\b",
            lead=rf"\b{_NOT} {_WANT} "),
    _crisis("suicide", "reason desire point will",
            r"\bno (?:reason|will|desire|point) (?:to|in) (?:live|living|go on|going on|keep going|be alive)\b"),
    _crisis("suicide", "go going", r"\bgo on (?:living|like this|anymore|any more|any longer)\b"
                                   r"|\bkeep going (?:living|like this|anymore|any more|any longer)\b",
            lead=r"\b(?:couldn't|could not|can't|cannot|can not) "),
    _crisis("suicide", "unalive unalived unaliving", r"\bunaliv\w*"),
    _crisis("suicide", "goodbye funeral", r"\bgoodbye (?:note|letter)s?\b|\bplann(?:ed|ing) my (?:own )?funeral\b"),
    _crisis("suicide", "without", r"\bbetter off without me\b"),
    _crisis("suicide", "wrist wrists", r"\b(?:my|his|her) wrists?\b",
            lead=r"\b(?:slit|slitting|cut|cutting|slash|slashed|slashing) "),
    _crisis("suicide", "jump jumped jumping",
            r"\bjump(?:ed|ing)? (?:off|from) (?:a|the) (?:bridge|building|roof|overpass)\b"),
    _crisis("suicide", "dark", r"\bdark thoughts\b"),
    _crisis("suicide", "way", r"\bno way out\b(?! of the)|\ba way out\b(?! of the)",
            lead=r"\b(?:saw|see|seeing|seen|felt like there was|didn't see|couldn't see) "),
    _crisis("suicide", "disappear", r"\bto disappear\b(?! into)", lead=rf"\b{_WANT} "),
    _crisis("suicide", "lived died live die", r"\bi lived or died\b|\bi live or die\b",
            lead=r"\b(?:care|cared) (?:if|whether) "),
    _crisis("suicide", "wake", r"\b(?:never|not) wake up\b", lead=r"\b(?:sleep|go to sleep|fall asleep) and "),
    _crisis("suicide", "waking", r"\b(?:not|never) waking up\b",
            lead=r"\b(?:thought of|thinking about|thoughts of|hoped for|hoping for|wished for|wishing for|prayed for|"
                 r"praying for|dreamed of|dreaming of) "),
    _crisis("suicide", "stop end", r"\b(?:everything|it all|my life) to (?:just )?(?:stop|end)\b(?! hurting| aching)",
            lead=rf"\b{_WANT} "),
]

SELF_HARM = [
    _crisis("self_harm", "self", r"\bself[- ]?(?:harm\w*|injur\w*|mutilat\w*)"),
    _crisis("self_harm", "myself", r"\bmyself\b" + _INJURY_CONTEXT, lead=_HURT,
            veto_before=r"\b(?:accidentally|accidently|by accident)\W*"),
    _crisis("self_harm", "cutting", r"\bcutting again\b", lead=rf"\b(?:was|been|{_CUTTING}) "),
    _crisis("self_harm", "cut", r"\bcut\b(?=[,.;!?]|$| and\b| again\b)",
            lead=r"\b(?:used to|i would|i'd|started to|began to|urge to|urges to) "),
    _crisis("self_harm", "cutting", r"\bcutting\b(?!-| edge| corners| costs?| back| down| out| the| my| it| in)",
            lead=rf"\b(?:{_CUTTING}) "),
]

OVERDOSE = [
    _crisis("overdose", "overdose overdosed overdoses overdosing", r"\boverdos\w*",
            veto_before=r"\b(?:no|zero|low|little|without)(?: \w+)? (?:risk|chance|danger) of (?:an? )?"),
    _crisis("overdose", "od", r"\bod'(?:d|ed)\b|\bo\.d\.(?:'d)?"),
    _crisis("overdose", "od ods oded oding", r"\bOD(?:'?d|'?ed|ing|s)?\b", raw=True),
    _crisis("overdose", "pills pill tablets meds medication medications",
            r"\b(?:pills|tablets|meds|medications?)\b",
            lead=r"\b(?:took|take|taking|swallowed|swallowing|popped|popping) (?:way )?(?:too many|a (?:whole |full |"
                 r"entire )?bottle of|a handful of|all (?:of )?my) (?:\w+ )?"),
    _crisis("overdose", "narcan narcaned narcanned naloxone", r"\bnarcan\w*|\bnaloxone\b"),
    _crisis("overdose", "died",
            r"\b(?:nearly|almost) died (?:from|of|on|after) (?:an? )?(?:fentanyl|heroin|pills|opioids|opiates|oxy\w*|"
            r"pain pills|drugs)\b"),
]

RULES = SUICIDE + SELF_HARM + OVERDOSE
