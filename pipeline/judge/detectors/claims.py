"""Health claims in review text, for the `health_claim` risk flag (details cure, comparative, safety, outcome).

Driven by COMPLIANCE.md §3 (FTC Endorsement Guides, 16 CFR Part 255) and CLAIM-01/CLAIM-02 in
notes/compliance-requirements.md: a quote that claims a health outcome is a claim the practice must
substantiate, and ketamine is not approved for psychiatric use. Details:
- `cure`: cure and elimination ("cured", "gone for good", "no more cravings", "no longer have PTSD", "in
  remission", "pain free for months") and medication changes ("off opioids", "off all my meds", "stopped
  taking oxycodone"), which CLAIM-02 hard-blocks as `medication_change`;
- `comparative`: treatment against alternatives ("better than any antidepressant / other clinic / doctor",
  "works better than Lexapro", "the only thing that worked", "after everything else failed", "the best
  treatment for depression", "most effective"); "the best doctor I've had" and "best clinic in town" are
  puffery about care, and "best treatment ever" reads as how the patient was treated, so neither flags;
- `safety`: "no side effects", "completely safe" (not "I felt completely safe"), "risk-free", "no withdrawal",
  "non-addictive";
- `outcome`: every other health outcome ("my pain went from 9 to 2", "depression lifted", "I can walk again",
  "sleeping through the night", "saved my life", "the infusions helped", "after just one infusion").
Care-experience praise (staff, cleanliness, waiting time, "best staff", "felt completely safe", "a huge relief
to find them") is not a claim and is left alone. Naming a condition alone ("the pain clinic", "I came in for
depression") is not flagged: CLAIM-01's `condition_named` tag is left to a later rule. Speed claims ("after
just one infusion") count as outcomes. The default policy is `risk.BLOCKED_CLAIMS` (cure, comparative,
safety) and `risk.CLINICIAN_CLAIMS` (outcome). Settings: none.
"""

from __future__ import annotations

from functools import partial

from pipeline.judge.detectors.phrases import rule

_claim = partial(rule, "health_claim")

_COND_WORDS = ("pain depression anxiety ptsd ocd migraine migraines headache headaches fibromyalgia fibro crps rsd "
               "neuropathy sciatica arthritis addiction craving cravings insomnia panic bipolar trauma symptoms "
               "nightmares flashbacks tinnitus ibs lupus fog flare flares mood")
_COND_KEYS = {word: {"panic": "panic attacks?", "flare": "flare-?ups?"}.get(word, word)
              for word in _COND_WORDS.split()}
_COND = (r"(?:(?:chronic|back|neck|nerve|knee|joint|hip|shoulder|leg|foot|arm|facial|pelvic|cluster) )?(?:"
         + "|".join(_COND_KEYS.values()) + r"|brain fog)")
_BODY = r"(?:back|neck|knees?|hips?|shoulders?|spine|legs?|foot|feet|arms?|head|brain|mood|sleep)"
_MED_WORDS = ("meds medication medications medicine medicines opioid opioids opiates painkiller painkillers killers "
              "narcotic narcotics pill pills "
              "oxy oxycodone oxycontin percocet percocets vicodin hydrocodone morphine fentanyl methadone suboxone "
              "antidepressant antidepressants ssri ssris snri snris benzos benzodiazepines xanax klonopin ativan "
              "gabapentin lyrica tramadol dilaudid")
_MEDS = (r"(?:meds|medications?|medicines?|opioids|opiates|painkillers|pain killers|narcotics|pills|oxy\w*|percocets?|"
         r"vicodin|hydrocodone|morphine|fentanyl|methadone|suboxone|antidepressants?|ssris?|snris?|benzos|"
         r"benzodiazepines|xanax|klonopin|ativan|gabapentin|lyrica|tramadol|dilaudid)")
_MED_CHANGE = (r"\b(?:completely off|totally off|finally off|now off|fully off|off|wean(?:ed|ing)? (?:myself )?off|"
               r"came off|come off|coming off|got off|get off|getting off|taper(?:ed|ing)? off|stopped(?: taking)?|"
               r"quit(?: taking)?|no longer (?:on|taking|need|needing|using)|don't need|do not need|eliminated|"
               r"ditched|reduced|cut back on|cut down on|cut|lowered|halved) (?:of )?(?:all |most |some |half )?"
               r"(?:of )?(?:my |the |those |these )?(?:\w+ )?")  # each alternative opens with a literal: a fast lead
_TREATMENT = (r"(?:ketamine|spravato|esketamine|infusions?|treatments?|injections?|nerve blocks?|blocks?|therapy|"
              r"procedures?|shots?|medication|tms|epidurals?|ablations?|sessions?)")
_TREATMENT_WORDS = ("ketamine spravato esketamine infusion infusions treatment treatments injection injections block "
                    "blocks therapy procedure procedures shot shots medication tms epidural epidurals ablation "
                    "ablations session sessions")
_ADVERBS = (r"(?:(?:really|truly|actually|definitely|finally|has|have|totally|absolutely|immediately|also|all|is|are)"
            r" )*")
_NOT_INSTRUCTED = (r"(?! (?:before|for) (?:the|my|each|every|an?) (?:infusion|injection|procedure|session|treatment|"
                   r"appointment|visit|surgery)| as (?:instructed|directed|told))")  # a prep step, not an outcome
_FREE_KINDS = r"(?:pain|symptom|depression|anxiety|migraine|craving|drug|opioid|headache|med|medication)"


def _each(words: str, rest: str) -> str:
    """One top-level alternative per leading word, so that each one starts with a literal."""
    return "|".join(rf"\b{word}{rest}" for word in words.split("|"))


CURE = [
    _claim("cure", "cure cured cures curing", r"\bcur(?:e|ed|es|ing)\b",
           veto_before=r"\b(?:not|no|never|isn't|wasn't|nor)(?: (?!only\b)\w+){0,2} (?:a |any )?"),
    _claim("cure", "fix fixed fixes fixing", rf"\bfix(?:ed|es|ing)? (?:my|his|her|our) (?:{_COND}|{_BODY})\b"),
    _claim("cure", "gone", r"\bgone (?:for good|forever|for ever)\b"),
    _claim("cure", "past", r"\ba thing of the past\b", lead=rf"\b{_COND} (?:is|are|was|were) (?:now )?"),
    _claim("cure", "", r"\b{key} (?:since|again)\b", keys=_COND_KEYS,
           lead=r"\b(?:haven't|have not|hasn't|has not|never) (?:had|felt|experienced) "
                r"(?:a |an |any |another |one )?(?:single )?(?:\w+ )?"),
    _claim("cure", "longer",
           rf"\bno longer (?:have|have any|suffer(?: from| with)?|experience|deal with|struggle with|feel|get) "
           rf"(?:any |my |the |those |these )?{_COND}\b"
           r"|\bno longer (?:depressed|anxious|addicted|in pain|suffering|hurting|suicidal)\b"),
    _claim("cure", "more", rf"\bno more (?:{_COND}|suffering|(?:\w+ )?{_MEDS})\b"),
    _claim("cure", "", r"\b{key}\b" + _NOT_INSTRUCTED, keys={word: word for word in _MED_WORDS.split()},
           lead=_MED_CHANGE),
    _claim("cure", "", r"\b{key}\b", keys={word: word for word in _MED_WORDS.split()},
           lead=r"\b(?:haven't|have not|hasn't|has not|never|didn't|did not) (?:touched|taken|needed|used|had|"
                r"popped) (?:a |an |any |my |one |another )?(?:single )?(?:\w+ )?"),
    _claim("cure", "healed recovered cured well normal better",
           _each("completely|fully|totally|100%|entirely", r" (?:healed|recovered|cured|well|normal)\b")
           + "|" + _each("100%|completely|totally|fully", r" better\b(?! than| about)")),
    _claim("cure", "healed remission", r"\bhealed (?:me|my)\b|\bin (?:full |complete |total )?remission\b"),
    _claim("cure", "free", r"\bfree\b",
           lead=rf"\b(?:i'm|i am|im|been|now|finally|stayed|staying|remained|completely|totally|100%) "
                rf"(?:completely |totally |now |finally )?{_FREE_KINDS}[- ]"),
    _claim("cure", "free", r"\bfree (?:for|since|ever since)\b", lead=rf"\b{_FREE_KINDS}[- ]"),
    _claim("cure", "miracle", r"\bmiracle (?:drug|treatment|medicine|infusion|shot|therapy)s?\b"),
    _claim("cure", "beat beaten conquered overcame overcome defeated",
           _each("beat|beaten|conquered|overcame|overcome|defeated", r" (?:my )?(?:depression|addiction|ptsd|anxiety|"
                 r"cravings|opioid addiction|alcoholism)\b")),
]

COMPARATIVE = [
    _claim("comparative", "than",
           r"\bthan (?:any |every |all |the |my |other |most )?(?:other |previous |prior |past |traditional |regular |"
           r"conventional |old |standard |oral )?(?:\w+ )?(?:clinics?|doctors?|physicians?|providers?|practices?|"
           r"medications?|medicines?|meds|drugs?|treatments?|therapy|therapies|antidepressants?|ssris?|snris?|opioids|"
           r"pills|surgery|surgeries|injections?|rehab|options?|anything|everything|ect|tms)\b",
           lead=r"\b(?:better|more effective|safer|stronger|faster|quicker|better results) ",
           also="better effective safer stronger faster quicker"),
    _claim("comparative", "than", r"\bbetter than\b",
           lead=r"\b(?:works|worked|work|working|helps|helped|help) (?:so |much |way |far |a lot |even )?",
           also="works worked work working helps helped help"),
    _claim("comparative", "superior outperforms outperformed outperform beats",
           r"\bsuperior to\b|\boutperform\w*|\bbeats (?:any|every|all) (?:other )?\w+"),
    _claim("comparative", "only",
           r"\bonly (?:thing|treatment|medication|medicine|therapy|option|drug|place|clinic|doctor|procedure|"
           r"solution)s? (?:that |which )?(?:has |have |had |ever |really |actually |truly |finally |that )*"
           r"(?:worked|helped|helps|works|made a difference|gave me relief|brought me relief|relieved)\b",
           also="worked helped helps works made gave brought relieved"),
    _claim("comparative", "else",
           r"\bnothing else (?:has |had |ever |really |even |would )*(?:worked|helped|touched|made a dent|came close)\b"
           + "|" + _each("everything|all", r" else (?:had |has )?(?:failed|didn't work|did not work)\b")),
    _claim("comparative", "tried",
           r"\btried (?:every|all the|all of the) (?:\w+ )?(?:medications?|treatments?|medicines?|drugs?|therapies|"
           r"therapy|antidepressants?|options|pills)\b|\btried everything(?: else)?(?= (?:and|but|before|under)\b)"
           r"|\btried everything else\b"),
    _claim("comparative", "best effective number gold",
           _each("best|most effective|number one|only effective|gold standard",
                 r" (?:treatment|therapy|medication|medicine|drug|option|cure|solution|remedy|procedure)s? (?:for|"
                 r"out there|available|on the market|in the world|there is)\b")
           + "|" + _each("best|number one", r" (?:medication|medicine|drug)s?\b"),
           also="treatment treatments therapy medication medications medicine medicines drug drugs option options "
                "cure solution solutions remedy procedure procedures"),
    _claim("comparative", "effective", r"\bmost effective\b"),
]

SAFETY = [
    _claim("safety", "effects effect adverse withdrawal withdrawals reactions reaction",
           r"\bside[- ]?effects?\b(?! (?:were|was) explained)|\badverse (?:effects?|reactions?|events?)\b"
           r"|\breactions?\b|\bwithdrawals?(?: symptoms)?+\b(?! (?:were|was) (?:explained|mentioned|discussed))",
           lead=r"\b(?:no|zero|without(?: any)?|never (?:had|experienced|got|noticed)(?: any)?|not (?:a|one) single|"
                r"didn't (?:have|experience|get|notice) any|did not (?:have|experience|get|notice) any|free of|"
                r"none of the) (?:bad |negative |serious |real |major |noticeable |lasting |unpleasant |harsh |"
                r"nasty )?"),
    _claim("safety", "effects",
           r"\bside[- ]?effects (?:were|are|have been|was) (?:non-?existent|none|zero|minimal|negligible)\b"),
    _claim("safety", "safe", r"\bsafe\b(?! (?:environment|place|space|area|office|clinic|setting|atmosphere|"
                             r"neighborhood|parking))",
           lead=r"\b(?:completely|totally|perfectly|100%|absolutely|entirely|extremely|very|super|incredibly) ",
           veto_before=r"\b(?:feel|felt|feeling|feels|made me|make me|makes me|kept me|keep me|keeps me|i was|"
                       r"i am|i'm|you're|you are|we were|always)\W+(?:\w+\W+){0,3}"),
    _claim("safety", "safe", r"\bsafe and effective\b|\bsafe (?:treatment|medication|drug|alternative)\b"),
    _claim("safety", "safe", r"\bsafe\b",
           lead=r"\b(?:ketamine|spravato|esketamine|the treatment|treatment|the infusions?|infusions|the procedure|"
                r"this therapy|the medication) (?:is|are|was|were) (?:completely |totally |perfectly |very |100% )?"),
    _claim("safety", "risk free", r"\brisk[- ]?free\b"),
    _claim("safety", "risk risks", r"\brisks?\b", lead=r"\b(?:no|zero|without any|without) "),
    _claim("safety", "addictive addicting habit addiction dependency dependence addicted overdose overdosing",
           _each("non|not", r"[- ]?(?:addictive|addicting|habit[- ]forming)\b")
           + "|" + _each("no|zero|little|low", r" (?:chance|risk|danger) of (?:an? )?(?:addiction|dependency|"
                                              r"dependence|getting addicted|overdose|overdosing)\b")),
]

OUTCOME = [
    _claim("outcome", "pain level scale score",
           r"\bfrom (?:a |an )?(?:\d{1,2}|ten|nine|eight|seven|six|five)(?: ?/ ?10| out of (?:10|ten))? (?:down )?to "
           r"(?:a |an )?(?:\d{1,2}|zero|one|two|three|four|five|six)\b",
           lead=r"\b(?:pain|level|scale|score)\b[^.!?\n]{0,30}?"),
    _claim("outcome", "<percent> percent",
           r"\b\d\d{0,2} ?(?:%|percent) (?:better|improvement|improved|less pain|reduction|relief|decrease)\b"),
    _claim("outcome", "", r"\b{key} (?:has |have |had |is |was |are |were |been |got |gets |getting |gotten |become |"
                          r"now |finally |completely |totally |really |significantly |dramatically |greatly |almost |"
                          r"basically |so |so much |much |a lot |way |far |more |all but |nearly |mostly |pretty much "
                          r")*(?:lifted|improved|improving|decreased|"
                          r"eased|subsided|disappeared|vanished|went away|gone away|gone|better|manageable|went down|"
                          r"dropped|reduced|diminished|faded|cleared|under control|resolved|lessened)\b",
           keys=_COND_KEYS),
    _claim("outcome", "", r"\b{key} (?:went |is |was |came |got |has come )?down to (?:almost |nearly |practically "
                          r"|basically )?(?:nothing|zero|a \d|\d|one|two|three)\b", keys=_COND_KEYS),
    _claim("outcome", "bedridden ridden housebound homebound wheelchair crutches barely",
           r"\bfrom (?:being )?(?:bedridden|bed-ridden|housebound|homebound|in a wheelchair|on crutches|barely "
           r"(?:walking|functioning|able to walk)) to\b"),
    _claim("outcome", "alive", r"\balive (?:today )?(?:because of|thanks to)\b", lead=r"\b(?:i'm|i am|am) (?:still )?"),
    _claim("outcome", "again", r"\bagain\b",
           lead=r"\b(?:can|could|able to|finally) (?:finally |now |actually )?(?:walk|work|sleep|run|drive|exercise|"
                r"hike|dance|garden|play|travel|function|smile|laugh|enjoy|get out of bed|go back to work|hold|pick up|"
                r"lift|sit|stand|think|focus|live|feel)\b[^.!?\n]{0,30}?"),
    _claim("outcome", "sleep sleeping sleeps", r"\bsleep(?:ing|s)? through the night\b"
           + "|" + _each("first|best", r" (?:good |full |real )?night'?s? (?:of )?sleep in (?:years|months|ages|"
                                       r"forever)\b")),
    _claim("outcome", "life", r"\bmy life\b(?! back)",
           lead=r"\b(?:saved|changed|transformed|gave me back|give me back|giving me back) "),
    _claim("outcome", "life", r"\bmy life back\b", lead=r"\b(?:got|get|getting|have|gave me|give me|giving me) "),
    _claim("outcome", "life", r"\blife[- ]?(?:changing|changer|saving|altering)\b"
                              r"|\bmy life (?:has |have )?(?:changed|turned around|improved)\b"),
    _claim("outcome", "better", r"\bdoing (?:so much |much |a lot |way |so |far )?better\b",
           lead=r"\b(?:i'm|i am|im|i've been|been|now|finally|today i'm) "),
    _claim("outcome", "again myself better",
           r"\b(?:feel|feeling|felt|feels) (?:like )?(?:myself|my old self|me|human|normal|alive|whole) again\b"
           r"|\b(?:feel|feeling|felt|feels) like myself\b"
           r"|\b(?:feel|feeling|felt|feels) (?:so |so much |much |a lot |way |a million times |\d+ ?x )?better\b"
           r"(?! about| knowing| after talking| after speaking| that| when)"),
    _claim("outcome", "worked works working helped helps difference everything wonders",
           r"\bwork(?:ed|s|ing)\b|\bhelp(?:ed|s)\b(?! me (?:understand|decide|choose|find|figure|navigate|sort|"
           r"schedule|get (?:an? )?(?:appointment|referral)))"
           r"|\bmade a (?:huge |big |real |world of |massive )?difference\b"
           r"|\bchanged everything\b|\b(?:did|does|worked|works|work) wonders\b",
           lead=rf"\b{_TREATMENT} {_ADVERBS}", also=_TREATMENT_WORDS),
    _claim("outcome", "worked works", r"\bwork(?:ed|s) (?:for me|wonders|miracles)\b",
           lead=r"\b(?:it|this|they) (?:(?:really|actually|truly|finally|definitely) )*"),
    _claim("outcome", "relief",
           rf"\bpain relief\b(?! options| clinic| center| plan| doctor| specialist)"
           rf"|\brelief (?:from|of|for|with) (?:my |the )?{_COND}\b"),
    _claim("outcome", "relief", r"\b(?:pain )?relief\b",
           lead=r"\b(?:immediate|instant|significant|dramatic|lasting|long-lasting|complete|total|symptom) "),
    _claim("outcome", "relief", r"\brelief\b",
           lead=r"\b(?:gave|give|gives|giving|brought|bring|brings|provided|provides|got|found|felt) "
                r"(?:me )?(?!like )(?:\w+ )?"),
    _claim("outcome", "after within",
           r"\bafter (?:just |only )(?:one|1|a single|two|2|three|3|my first|the first|a couple(?: of)?|a few) "
           r"(?:infusion|session|treatment|injection|shot|dose|round)s?\b|\bafter (?:one|1|a single) (?:infusion|"
           r"session|treatment|injection|shot|dose|round)\b|\bwithin (?:minutes|hours|days|a day|a few days|a week|"
           r"one week|24 hours) (?:of|after) (?:my |the )?(?:first )?(?:infusion|treatment|session|injection|shot|"
           r"dose)\b", also="infusion infusions session sessions treatment treatments injection injections shot shots "
                          "dose doses round rounds"),
    _claim("outcome", "sober clean", r"\b(?:sober|clean)\b", lead=r"\b(?:days|weeks|months|years) "),
    _claim("outcome", "sober", r"\bsober (?:for|since)\b"),
    _claim("outcome", "sober", r"\bsober\b|\bclean and sober\b",
           lead=r"\b(?:been|stayed|staying|remained|i'm|i am|now) "),
    _claim("outcome", "work", r"\bback to work\b",
           lead=r"\bi (?:went|was able to go|could go|got|am going|returned|was able to return|can go) "),
    _claim("outcome", "reduced cut lowered decreased dropped eased relieved eliminated took taken",
           rf"\b(?:reduced|cut|lowered|decreased|dropped|eased|relieved|eliminated|took away|taken away) "
           rf"(?:my |the |all my |all of my )?{_COND}\b", also=_COND_WORDS),
]

RULES = CURE + COMPARATIVE + SAFETY + OUTCOME
