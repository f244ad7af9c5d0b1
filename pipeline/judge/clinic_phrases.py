"""The clinic tuning's default phrase rules, as data: what happens to a symptom, and how patients speak of care.

A phrase rule is a regex over the lower-cased text (so written in lower case; `{symptom}` stands for the
symptom vocabulary in `pipeline.judge.clinic_lexicon`) and a valence on VADER's scale (-4..4). The scorer
replaces each match with one token of that valence, so VADER's own rules still apply around it: "did not reduce
my pain" is the relief rule, negated. Rules are tried in order and a rule only claims text no earlier rule
claimed, so specific rules come first. A rule is only tried where one of the words it can start with occurs
(the scorer works them out from the pattern with `pipeline.judge.start_words`), which keeps the rules cheap; a
rule about a common word is written to start at its rarer last word (`_after`). The rules follow classes of
language (relief, failed treatment, side effects, conditions, how care felt, warnings), none fitted to a data set.
"""

from __future__ import annotations

SYMPTOM = "{symptom}"  # placeholder in patterns for the symptom vocabulary

_VERBS_RELIEF = (
    r"reduced?|reduces|reducing|eased?|eases|easing|relieved?|relieves|relieving|alleviated?|alleviates|"
    r"lessened|lessens|decreased?|decreases|lowered|lowers|improved|improves|helped|helps|helping|cured|cures|"
    r"eliminated|eliminates|resolved|stopped|stops|controls|controlled|manages|managed|cleared|lifted|lifts|"
    r"healed|fixed|fixes|calmed|calms|quieted|diminished|minimi[sz]ed|curbed|curbs|killed|kills|dulled|"
    r"took\s+away|takes\s+away|taken\s+away|got\s+rid\s+of|gets\s+rid\s+of|knocked\s+out|treated|"
    r"(?:works|worked)\s+(?:great\s+|well\s+|wonders\s+)?(?:for|on)|effective\s+(?:for|against|on)")
_VERBS_CAUSE = (
    r"cause|caused|causes|causing|gave\s+me|gives\s+me|giving\s+me|triggered|triggers|triggering|induced|induces|"
    r"brought\s+on|brings\s+on|led\s+to|leads\s+to|resulted\s+in|results\s+in|worsened|worsens|aggravated|"
    r"aggravates|exacerbated|exacerbates|intensified|increased|increases|made\s+me(?:\s+feel)?|"
    r"makes\s+me(?:\s+feel)?|left\s+me(?:\s+with|\s+in|\s+feeling)?")
_VERBS_HAVE = (r"have|having|had|has|feel|feeling|felt|get|getting|experience|experiencing|experienced|suffer|"
               r"suffering|notice|struggle|struggling")
# After a symptom: words that make it the subject of care ("they didn't get my pain under control", "no pain
# management plan"), where a negation is about the care, not the symptom.
_NOT_CARE = (r"(?!\s+(?:under|managed|treated|controlled|addressed|checked|taken|seen|evaluated|management|clinic|"
             r"doctors?|specialists?|medications?|meds|relief|control|treatments?|team|programm?e?|plan)\b)")
_OWNER = r"(?:(?:my|the|a|an|his|her|their|our|your|this|that|these|those|all|any|of|me|with|more)\s+)*"
# Up to two describing words before a symptom ("my chronic lower back pain"), never one that turns the
# meaning or ends the clause.
_MOD = (r"(?:(?!(?:and|or|but|for|to|with|from|by|of|in|at|on|no|not|never|without|less|fewer|zero|nothing|"
        r"any|more)\b)[a-z'’-]+\s+){0,2}?")
_AMOUNT = (r"(?:(?:completely|totally|almost|nearly|mostly|finally|much|so|way|a\s+lot|far|significantly|really|"
           r"pretty\s+much|virtually|basically|now|definitely|noticeably|greatly|dramatically|substantially|"
           r"considerably|slowly|gradually|all\s+but)\s+)*")
_SEVERE = (r"severe|terrible|horrible|awful|excruciating|unbearable|debilitating|crippling|chronic|constant|"
           r"intense|extreme|bad|horrendous|agoni[sz]ing|intractable|treatment[- ]resistant|major|serious|"
           r"worst")
_BODY = (r"bones?|arm|leg|wrist|ankle|hip|ribs?|toe|finger|nose|foot|hand|collarbone|jaw|elbow|knee|shoulder|"
         r"back|neck|spine|vertebra")



def _after(*words: str) -> str:
    """Look-behinds for "one of these words, then a space": a rule written this way starts at its rarer last
    word, so it is not tried at every "was" or "really" (see `pipeline.judge.start_words`)."""
    return "(?:" + "|".join(rf"(?<=\b{w}\s)" for w in words) + ")"


_ORGANS = ("health", "medical", "kidney", "heart", "back", "knee", "hip", "neck", "spine", "shoulder", "skin",
           "stomach", "gut", "bowel", "bladder", "breathing", "lung", "liver", "thyroid", "sleep", "sleeping", "eye",
           "ear", "throat", "sinus", "nerve", "joint", "foot", "feet", "leg", "dental", "tooth", "teeth", "prostate",
           "urinary", "hormone", "hormonal", "memory", "balance", "chest", "sugar", "bp", "bone", "spinal",
           "digestive")

# What "works" when a patient says "it (really) works" (one word each: they are checked behind "works").
_SUBJECTS = ("it", "this", "that", "ketamine", "esketamine", "spravato", "treatment", "treatments",
             "medication", "medicine", "med", "meds", "drug", "infusion", "infusions", "therapy", "injection",
             "injections", "shot", "shots", "procedure", "pill", "pills", "really", "actually", "truly", "definitely")
_CANNOT = r"(?:couldn['’]?t|could\s+not|can['’]?t|cannot|can\s+not)"
# A symptom, with the severity words in front of it ("severe lower back pain"), for rules that start with it.
_SYMPTOM_HEAD = rf"(?:(?:{_SEVERE})\s+(?:[a-z'’-]+\s+)?)?{SYMPTOM}"

# (name, valence, pattern), in priority order: a rule only claims text no earlier rule claimed, so specific
# rules come before general ones ("no pain relief" before "no pain", "no more pain" before "more pain").
PHRASES: tuple[tuple[str, float, str], ...] = (
    # "Nobody"/"no one" are not among VADER's negations ("no one came to help" reads as help), and the care they
    # deny outweighs any rule inside the phrase ("no one helped with my pain"), so this rule comes first.
    ("nobody_helped", -1.5,
     r"(?:nobody|no\s+one|no\s+body|none\s+of\s+(?:the\s+)?(?:staff|nurses|doctors|them))\s+(?:\w+\s+){0,3}?"
     r"(?:help(?:ed|s|ing)?|care[ds]?|bother(?:ed|s)?|attend(?:ed|s)?|respond(?:ed|s)?|listen(?:ed|s)?|"
     r"answer(?:ed|s)?|check(?:ed|s)?|came|come|explain(?:ed|s)?|available|there|"
     r"(?:took|takes|take)\s+(?:\w+\s+){0,3}?seriously)\b(?!\s+(?:more|better)\b)"),
    # Drug reviews: side effects absent or slight are a point in the treatment's favour.
    ("side_effects_none", 1.5,
     r"(?:no|zero|without(?:\s+any)?|free\s+(?:of|from)|never\s+had\s+any|(?:didn['’]?t|did\s+not)\s+have\s+any)"
     r"\s+(?:real\s+|noticeable\s+|major\s+|bad\s+|serious\s+)?side[- ]?effects?"),
    ("side_effects_few", 0.5,
     r"(?:minimal|few|very\s+few|hardly\s+any|barely\s+any|little|mild|minor|manageable|tolerable|negligible)"
     r"\s+side[- ]?effects?"),
    ("side_effects_faded", 1.0,
     r"side[- ]?effects?\s+(?:\w+\s+){0,2}?(?:went\s+away|go\s+away|goes\s+away|gone|subsided|disappeared|vanished|"
     r"wore\s+off|passed|stopped|faded|eased|lessened|decreased)\b"),
    # Side effects otherwise: a mild negative; their adjectives ("severe") carry the rest.
    ("side_effects", -0.8, r"side[- ]?effects?"),
    # Treatment without result: VADER reads "no pain relief" as relief.
    ("no_relief", -1.5,
     r"(?:no|zero|little|minimal|limited|barely\s+any|hardly\s+any|little\s+to\s+no|not\s+much|not\s+any)\s+"
     r"(?:\w+\s+)?(?:relief|improvement|change|difference|effect|results?|benefit)\b"),
    # "It didn't work": VADER has no valence for "work".
    ("did_not_work", -1.5,
     r"(?:didn['’]?t|did\s+not|doesn['’]?t|does\s+not|don['’]?t|do\s+not|never|stopped|wasn['’]?t|isn['’]?t|"
     r"hasn['’]?t|haven['’]?t)\s+(?:really\s+|even\s+|seem\s+to\s+|seemed\s+to\s+)?"
     r"work(?:s|ed|ing)?\b"),
    ("nothing_worked", -1.5, r"nothing\s+(?:[a-z'’]+\s+){0,3}?work(?:s|ed)?\b"),
    ("did_nothing", -1.5,
     r"(?:did|does|do|done)\s+(?:absolutely\s+|literally\s+)?nothing\s+(?:for|to\s+help|to\s+relieve)\b|"
     r"(?:didn['’]?t|did\s+not|doesn['’]?t|does\s+not)\s+do\s+(?:anything|a\s+thing|much)\s+(?:for|to\s+help)\b"),
    # Relief that lasted hours or days is a treatment that did not work.
    ("short_relief", -1.0,
     r"(?:only|just)\s+(?:helped|worked|lasted|relieved\s+\w+)\s+(?:for\s+)?(?:a|an|one|two|three|a\s+few|\d+)\s+"
     r"(?:hours?|days?)\b|(?:relief|effects?|results?|benefits?|it)\s+(?:only\s+)?lasted\s+(?:only\s+|just\s+)?"
     r"(?:for\s+)?(?:a|an|one|two|three|a\s+few|\d+)\s+(?:hours?|days?)\b"),
    ("wore_off", -1.0,
     r"(?:effects?|relief|benefits?|results?|it)\s+(?:\w+\s+)?(?:wears|wore|wearing|worn)\s+off"),
    ("works_wonders", 2.5, r"work(?:s|ed)?\s+wonders"),
    # (The subject is checked behind "works" so that the rule is not tried at every "it" and "this".)
    ("it_works", 1.5,
     "(?:" + "|".join(rf"(?<=\b{s}\s)" for s in _SUBJECTS) + r")work(?:s|ed)?\b(?!\s+(?:for|on)\b)"),
    # Patients' words for getting better as a whole.
    ("life_back", 2.5, r"life\s+back"),
    ("back_to_life", 1.5,
     r"(?:back\s+(?:at|to)|return(?:ed|ing)?\s+to|(?:went|go|going|gone)\s+back\s+to)\s+(?:full[- ]time\s+)?"
     r"(?:work|my\s+(?:job|life|routine|hobbies|old\s+self|family)|normal(?:\s+life)?|the\s+gym|running|walking|school|"
     r"daily\s+life|everyday\s+life|doing\s+what\s+i\s+love)\b"),
    ("off_aids", 1.5,
     r"(?:off|stopped\s+taking|no\s+longer\s+(?:on|taking|need|use|using)|(?:don['’]?t|do\s+not)\s+(?:need|use))\s+"
     r"(?:all\s+|any\s+)?(?:of\s+)?(?:my\s+|the\s+|a\s+)?(?:pain\s+)?(?:medications?|meds|pills|opioids|painkillers|"
     r"pain\s+killers|narcotics|cane|crutches|walker|wheelchair|brace|inhaler|sleeping\s+pills)\b|"
     r"(?:walk|walking|walked|move|moving|get\s+around|getting\s+around|function|functioning)\s+(?:\w+\s+)?without\s+"
     r"(?:a\s+|any\s+|my\s+)?(?:limp|cane|crutches|walker|wheelchair|help|assistance|brace|pain)\b"),
    ("life_changing", 2.5,
     r"life[- ]?chang(?:ing|er)|changed\s+my\s+life|game[- ]?changer|new\s+lease\s+on\s+life"),
    ("myself_again", 2.0,
     r"(?:feel|feeling|felt)\s+(?:like\s+)?(?:myself|me|human|normal|alive)\s+again|"
     r"new\s+(?:person|man|woman)|back\s+to\s+(?:my\s+)?(?:normal|old\s+self|myself)"),
    ("can_again", 1.5,
     r"(?:can|could|able\s+to)\s+(?:now|finally|once\s+again)\s+(?:sleep|walk|function|breathe|work|exercise|"
     r"smile|laugh|live|drive|run|play|dance|travel)\b|(?:sleep|walk|function|breathe|exercise|smile|laugh|drive|"
     r"run|play|dance|travel|sleeping|walking|functioning|breathing|working|exercising|smiling|laughing|living|"
     r"driving|running|playing|dancing|travell?ing)\s+again\b"),
    # Being taken seriously is what chronic-pain patients most often say they did or did not get.
    ("taken_seriously", 1.5, r"(?:take|takes|took|taken|taking)\s+(?:\w+\s+){0,3}?seriously"),
    # Symptoms negated, reduced or gone: the clinic's core good news.
    ("symptom_free", 2.0, rf"{SYMPTOM}[- ]?free"),
    ("symptom_no_longer", 2.0,
     r"(?:don['’]?t|do\s+not|didn['’]?t|did\s+not|no\s+longer|never|haven['’]?t|hardly|rarely|barely)\s+"
     rf"(?:(?:{_VERBS_HAVE}|wake\s+up|waking\s+up|woke\s+up)\s+(?:from\s+|with\s+)?|in\s+){_OWNER}{_MOD}{SYMPTOM}"
     rf"{_NOT_CARE}(?:\s+any\s*more)?"),
    ("symptom_negated", 2.0,
     r"(?:no|zero|without(?:\s+any)?|free\s+(?:of|from)|rid\s+of|relief\s+(?:from|of|for)|relieved\s+of|"
     r"break\s+from|less|fewer|lower|reduced|reduction\s+(?:in|of)|decrease\s+(?:in|of)|drop\s+in|minimal|"
     r"little\s+to\s+no|almost\s+no|hardly\s+any|barely\s+any|virtually\s+no)\s+(?:more\s+|longer\s+)?"
     rf"{_OWNER}{_MOD}{SYMPTOM}{_NOT_CARE}"),
    ("symptom_relieved", 2.0, rf"(?:{_VERBS_RELIEF})\s+(?:me\s+)?(?:with\s+)?{_OWNER}{_MOD}{SYMPTOM}"),
    ("symptom_made_better", 2.0,
     rf"(?:made|makes|make)\s+{_OWNER}{_MOD}{SYMPTOM}\s+(?:go\s+away|disappear|vanish|subside|lift|melt\s+away|"
     r"(?:much\s+|so\s+much\s+|more\s+|a\s+lot\s+)?(?:better|bearable|manageable|tolerable))"),
    ("symptom_controlled", 2.0,
     rf"(?:get|gets|got|gotten|getting|bring|brought|keep|keeps|kept)\s+{_OWNER}{_MOD}{SYMPTOM}\s+under\s+control"),
    ("symptom_gone", 2.0,
     rf"{_SYMPTOM_HEAD}\s+(?:is|are|was|were|has|have|had|'s|’s|seems?|seemed|feels?|felt|got|gets|getting)\s+"
     rf"(?:been\s+|become\s+|gotten\s+|got\s+)?{_AMOUNT}(?:gone|better|improved|improving|manageable|bearable|"
     r"tolerable|under\s+control|down|lower|less|reduced|lifted|lifting|minimal|subsided|resolved|disappeared|"
     r"vanished|non-?existent|fading|easing|eased|decreasing|decreased|in\s+remission|controlled|history)\b|"
     # notes and short reviews leave the verb out: "pain almost gone in 8 hours"
     rf"{_SYMPTOM_HEAD}\s+{_AMOUNT}(?:gone|disappeared|vanished|resolved|cured)\b"),
    ("symptom_went_away", 2.0,
     rf"{_SYMPTOM_HEAD}\s+(?:levels?\s+|scores?\s+)?(?:(?:went|go|goes|going|gone|came|come|melted|faded|"
     r"calmed)\s+(?:away|down)|dropped|decreased|subsided|disappeared|vanished|lifted|eased|improved|diminished|"
     r"faded|dissipated|stopped|resolved|cleared(?:\s+up)?|lessened|declined)\b"),
    # Symptoms that last, return, are caused or get worse: the treatment failed or harmed.
    ("symptom_still", -1.5,
     rf"(?:still|constantly|always)\s+(?:(?:{_VERBS_HAVE})\s+(?:from\s+|with\s+)?|in\s+)?"
     rf"(?:(?:a\s+lot\s+of|lots\s+of|so\s+much|some|the\s+same)\s+)?{_OWNER}{_MOD}{SYMPTOM}"),
    ("symptom_back", -1.5,
     rf"{_SYMPTOM_HEAD}\s+(?:(?:is|are|was|were|has|have)\s+(?:still\s+|just\s+|even\s+|gotten\s+|become\s+|"
     r"got\s+|getting\s+)*(?:the\s+same|unchanged|back|worse|worsening|increasing)|(?:came|comes|coming)\s+back|"
     r"returned|got\s+worse|worsened|increased)\b"),
    ("symptom_caused", -1.8,
     rf"(?:{_VERBS_CAUSE})\s+(?:me\s+)?(?:(?:a\s+lot\s+of|lots\s+of|so\s+much|some|bad|severe|terrible|horrible|"
     rf"awful|extreme|constant|intense|major|serious)\s+)*{_OWNER}{_MOD}{SYMPTOM}"),
    ("symptom_more", -1.2, rf"(?:more|worse|worsening|increased|increasing|extra|new)\s+{SYMPTOM}"),
    # Symptoms referred to by a pronoun ("they went away after a week").
    ("it_went_away", 1.0,
     r"(?:they|those|these|it|that|which)\s+(?:\w+\s+)?(?:went\s+away|go\s+away|goes\s+away|subsided|"
     r"disappeared|vanished)\b"),
    ("sleep_well", 1.5,
     r"(?:sleep|sleeping|slept)\s+(?:so\s+|much\s+|really\s+|very\s+)?(?:well|soundly|through\s+the\s+night)"),
    # Names of conditions, tests, departments and services that hold a VADER word: neutral.
    ("condition_name", 0.0,
     r"(?:open[- ])?heart\s+(?:surgery|surgeon|problems?|issues?|conditions?|disease|specialists?|doctors?|hospital|"
     r"patients?|procedures?|check[- ]?ups?|bypass|operation|cent(?:er|re)|department|ward|transplant|valves?|rate|"
     r"rhythm|blockages?|scans?|tests?|unit|institute|ailments?)\b|"
     + _after(*_ORGANS) + r"(?:problems?|issues?|troubles?|complications?)\b|"
     rf"(?:broke|fractured|injured|hurt|sprained|twisted|tore|torn|dislocated)\s+(?:my|his|her|their|a)\s+"
     rf"(?:\w+\s+)?(?:{_BODY}|ligaments?|tendons?|acl|meniscus|rotator\s+cuff|disc)\b|"
     r"(?:battl|struggl|fight|fought|deal|dealt|liv|cop)(?:e|es|ed|ing|t)?\s+(?:with\s+|against\s+)?"
     rf"(?:my\s+|his\s+|her\s+|chronic\s+|severe\s+|long[- ]term\s+)*(?:{SYMPTOM}|cancer|illness|disease|"
     r"addiction|conditions?)\b|"
     r"(?:heart|panic|anxiety|asthma|migraine|seizure)\s+attacks?|cardiac\s+arrest|"
     r"(?:heart|kidney|renal|liver|organ|respiratory|lung)\s+failure|blood\s+pressure|"
     r"tested\s+(?:positive|negative)|(?:hiv|covid|rh)[- ]?(?:positive|negative)|"
     r"(?:test|tests|result|results|report|reports|scan|biopsy|pcr)\s+(?:came\s+(?:back\s+)?|come\s+(?:back\s+)?|"
     r"was\s+|were\s+|is\s+|are\s+)?(?:positive|negative)|weight\s+loss|"
     rf"(?:broken|fractured)\s+(?:\w+\s+)?(?:{_BODY})\b|suffer(?:s|ed|ing)?\s+(?:from|with)|"
     r"(?:pain|anxiety|depression|addiction|migraine|headache|sleep|stress)\s+(?:management|clinic|center|centre|"
     r"specialists?|doctors?|medicine|medications?|meds|treatments?|programm?e?|team)"),
    ("weight_gain", -0.5,
     r"weight\s+gain|gained\s+(?:(?:\d+|a\s+lot\s+of|so\s+much|some|lots\s+of)\s+)?(?:pounds|lbs|kg|kilos|weight)"),
    # Severity words describe the illness the patient came with, not the care: only mildly negative.
    ("symptom_severe", -0.5, rf"(?:(?:{_SEVERE})\s+)+{_MOD}{SYMPTOM}"),
    # Praise that VADER reads through a negation ("couldn't have been better", "can't thank them enough",
    # "nothing to improve" on a feedback form) or does not know ("above and beyond").
    ("praise_idiom", 2.5,
     rf"{_CANNOT}\s+(?:have\s+)?(?:been|be)\s+(?:any\s+)?(?:happier|better|more\s+(?:pleased|satisfied|happy|"
     rf"grateful|thankful|impressed))\b|{_CANNOT}\s+(?:have\s+)?(?:ask|asked|wish|wished)\s+for\s+"
     rf"(?:a\s+|an\s+|any\s+)?(?:\w+\s+)?(?:better|more)\b|"
     rf"{_CANNOT}\s+(?:thank|praise|recommend)\s+(?:\w+\s+){{0,3}}?enough|"
     rf"{_CANNOT}\s+(?:say|speak)\s+(?:\w+\s+)?(?:enough|highly\s+enough)|"
     r"second\s+to\s+none|above\s+and\s+beyond|went\s+beyond|nothing\s+(?:at\s+all\s+|really\s+)?"
     r"(?:to\s+improve|to\s+change|(?:needs?|has)\s+to\s+(?:be\s+)?(?:improved|changed)|(?:could|can|would|should)\s+"
     r"(?:have\s+)?(?:been\s+|be\s+)?(?:improved|changed|better|done\s+better))"),
    # Answers to "anything we could improve?": satisfaction, though VADER reads "nothing" as a negation
    # ("Nothing, everything was perfect." scores -0.46 in plain VADER).
    ("nothing_to_improve", 1.5,
     r"nothing\s+(?:(?:that\s+)?(?:i|we)\s*(?:would|'d|’d|could|can)\s+(?:change|improve|add|fault)|"
     r"(?:comes|came|springs)\s+to\s+mind)|(?:can['’]?t|cannot|couldn['’]?t|could\s+not)\s+think\s+of\s+"
     r"(?:anything|a\s+(?:single\s+)?thing|one\s+thing|any)\b(?=\s*(?:[,.;:!—–-]|$|to\s+(?:improve|change)|"
     r"(?:that\s+)?(?:i|we|you)\s*(?:would|'d|’d|could)\s+(?:change|improve|do\s+better)|better))|"
     r"no\s+(?:suggestions?|(?:improvements?|changes?)\s+(?:needed|necessary|required))\b"),
    # A bare "Nothing." opening a sentence is that same answer (never "it did nothing at all", mid-sentence).
    ("nothing_answer", 0.8,
     r"(?:(?<=\A)|(?<=[.!?\n])|(?<=[.!?\n]\s))nothing(?:\s+(?:at\s+all|really|honestly|whatsoever|much))?\s*"
     r"(?=[,.;:!—–-]|\Z)"),
    ("dispraise_idiom", -2.5,
     rf"{_CANNOT}\s+(?:have\s+)?(?:been|be)\s+(?:any\s+)?(?:worse|more\s+(?:rude|disappointed|unprofessional|"
     r"dismissive|disorgani[sz]ed|unhelpful))\b"),
    # Care: heard, answered, followed up, or kept waiting (VADER has no valence for these phrases).
    ("dismissed", -1.5,
     r"(?:dismissed|ignored|brushed\s+off|downplayed)\s+(?:all\s+)?(?:of\s+)?(?:my|our|his|her|their|the)\s+(?:\w+\s+)?"
     r"(?:symptoms?|concerns?|pain|complaints?|questions?|worries)"),
    ("not_listened", -1.5,
     r"(?:didn['’]?t|did\s+not|doesn['’]?t|does\s+not|don['’]?t|do\s+not|never|wouldn['’]?t|would\s+not|won['’]?t|"
     r"refused\s+to|not)\s+(?:even\s+|really\s+|bother\s+to\s+|want\s+to\s+|care\s+to\s+|seem\s+to\s+)?"
     r"listen(?:ed|s|ing)?\b"),
    ("listened", 1.5,
     r"(?:listened|listens|listen)\s+(?:carefully\s+|patiently\s+)?to\s+(?:me|us|my|our|all|every|everything)\b|"
     + _after("who", "that", "actually", "really", "truly", "finally") + r"listen(?:s|ed)?\b"),
    # How patients say they were seen: as a person, or as a number, a drug seeker, a wallet.
    ("treated_like_object", -2.0,
     r"(?:treat(?:ed|s|ing)?|look(?:ed)?\s+at|label(?:l?ed)?|made\s+(?:me|us)\s+feel|act(?:ed)?\s+like\s+i\s+was|"
     r"talk(?:ed)?\s+to\s+(?:me|us))\s+(?:me\s+|us\s+|him\s+|her\s+|patients\s+|them\s+|people\s+)?(?:like|as)\s+"
     r"(?:i\s+was\s+|we\s+were\s+)?(?:a\s+|an\s+|just\s+a\s+|just\s+another\s+|another\s+)?(?:number|drug[- ]?seekers?|"
     r"addicts?|junkies?|criminals?|child|children|idiots?|nuisance|burden|inconvenience|liars?|objects?|"
     r"statistic|piece\s+of\s+meat|cattle|animals?|dirt|garbage|trash|paycheck|dollar\s+signs?|atms?|"
     r"guinea\s+pigs?|hypochondriacs?|fakers?)\b"),
    ("treated_like_person", 2.0,
     r"(?:treat(?:ed|s|ing)?|made\s+(?:me|us)\s+feel)\s+(?:me\s+|us\s+|him\s+|her\s+|patients\s+|them\s+|everyone\s+)?"
     r"(?:like|as)\s+(?:a\s+|an\s+|part\s+of\s+(?:the\s+|their\s+)?|one\s+of\s+(?:the\s+|their\s+)?)?(?:family|"
     r"royalty|person|human(?:\s+being)?|friend|vip|queen|king|priority|individual)\b"),
    # Found at last, after other care failed.
    ("finally_found", 2.0,
     r"finally\s+(?:found|have|got|met|getting|get)\s+(?:a|the|some|someone|somebody|my|real|an)\s+"
     r"(?:[a-z'’-]+\s+){0,2}?(?:doctor|clinic|place|team|provider|answers?|relief|help|treatment|diagnosis|care|"
     r"someone|somebody|physician|specialist|practice|nurse|therapist|psychiatrist)\b"),
    ("rushed", -1.2,
     _after("felt", "feel", "feeling", "was", "were", "very", "so", "always", "too", "seemed", "seems", "seem",
            "being", "really", "quite", "extremely", "totally", "pretty", "bit", "little", "incredibly", "super")
     + r"rushed\b|rushed\s+(?:through|out|appointments?|visits?|consultations?|exams?)\b"),
    ("took_time", 1.2, r"(?:took|takes|take|taking)\s+(?:the\s+|their\s+|his\s+|her\s+|enough\s+)?time\s+to\b"),
    ("answered_questions", 1.2, r"answered\s+(?:all\s+)?(?:of\s+)?(?:my|our|every)\s+(?:\w+\s+)?questions?"),
    ("no_call_back", -1.5,
     r"(?:never|nobody|no\s+one|didn['’]?t|did\s+not|wouldn['’]?t|would\s+not|won['’]?t|not)\s+(?:\w+\s+)?"
     r"(?:call(?:ed)?|get|got|ring|rang)\s+(?:me\s+|us\s+)?back|no\s+call\s*back|no\s+(?:response|reply)"),
    ("long_wait", -1.5,
     r"(?:waited|waiting|wait|kept\s+(?:me\s+|us\s+)?waiting)\s+(?:for\s+)?(?:over\s+|more\s+than\s+|almost\s+|"
     r"nearly\s+|about\s+|around\s+)?(?:(?:\d+|an?|one|two|three|four|five|several|many)\s+(?:\w+\s+)?)?"
     r"(?:hours?|hrs?)\b|(?:long|endless|huge|hours?[- ]long)\s+(?:wait(?:ing)?(?:\s+times?)?|queues?)|"
     r"hours\s+of\s+waiting|(?:had|have|made\s+(?:me|us))\s+to\s+wait\s+(?:for\s+)?(?:so\s+|very\s+|too\s+)?long"),
    ("short_wait", 1.0, r"(?:no|short|minimal|little)\s+wait(?:ing)?(?:\s+times?)?\b"),
    # "No issues": VADER scores a lone "no" as negative when the next word is not in its lexicon.
    ("no_problems", 1.5,
     r"(?:no|zero|without\s+any|never\s+(?:had|have)\s+(?:any|an?))\s+(?:\w+\s+)?(?:issues?|complaints?|"
     r"problems?|hassles?|trouble|regrets?|delays?|hiccups?|surprises)\b"),
    ("hassle_free", 2.0, r"(?:hassle|trouble|stress)[- ]?free"),
    # "Well maintained" and the like: VADER has no valence for "well" + participle.
    ("well_run", 1.5,
     r"well[- ](?:maintained|organi[sz]ed|equipped|managed|trained|run|kept|coordinated|informed|explained)"),
    # Care bought and sold: "they only care about money" reads as care in VADER.
    ("about_money", -2.0,
     r"(?:care[sd]?|caring|interested|concerned|bothered|focus(?:ed|es)?)\s+(?:only\s+|just\s+|mostly\s+|more\s+)?"
     r"(?:about|in|on|with)\s+(?:the\s+|your\s+|our\s+|making\s+)?(?:money|profits?|bills?|billing)\b|"
     r"money[- ]?(?:making|oriented|driven|hungry|focused)|(?:only|just)\s+(?:after|about|for|want|wants)\s+"
     r"(?:the\s+|your\s+|our\s+)?money|(?:cash|money)\s+grab"),
    ("overtreatment", -1.5,
     r"(?:unnecessary|unneeded|unwanted|needless|useless|pointless)\s+(?:\w+\s+)?(?:tests?|procedures?|surgery|surger(?:y|ies)|"
     r"scans?|investigations?|admissions?|medicines?|medications?|treatments?|visits?|x-?rays?|mris?|injections?)"),
    ("warning", -2.0,
     r"avoid\s+(?:this|that|these|the|them|him|her|at\s+(?:all|any)\s+costs?|going|it|dr|doctor|for|if|unless)\b|"
     + _after(r"at\syour\sown") + r"risk\b|"
     r"save\s+your(?:self)?\s+(?:the\s+)?(?:time|money|trouble|energy|health)|think\s+twice|"
     r"(?:do\s+not|don['’]?t)\s+(?:waste|risk)\s+your"),
    # Reviewers' verdicts: warnings to others.
    ("never_again", -2.0,
     r"(?:never|won['’]?t|will\s+not|would\s+not|wouldn['’]?t|not)\s+(?:\w+\s+)?"
     r"(?:go|going|come|coming|return|returning|visit|be)\s+(?:\w+\s+){0,2}?(?:again|back\b(?:\s+to\s+"
     r"(?:this|that|the|them|him|her)\s+(?:\w+\s+)?(?:clinic|hospital|place|office|practice|doctor|dr|center|"
     r"centre|facility|provider|location|pharmacy))?)\b(?!\s+to\b)|never\s+again|stay\s+away|"
     r"(?:don['’]?t|do\s+not|never)\s+(?:go|come|visit)\s+(?:to\s+)?(?:here|there|this)\b"),
)
