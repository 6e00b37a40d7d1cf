"""What earns a trainee points: phrasings of each skill, question shapes, question topics."""
# ruff: noqa: E501 - one regex per line reads better than regexes split at arbitrary points

from __future__ import annotations

import re

STRONG, WEAK = 2, 1

_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|this weekend|next week|the weekend|evening|morning|afternoon|later today|later this week)"
PARTNER = r"(?:wife|husband|spouse|partner|other half|landlord|board|family)"


def _compile(items: list[tuple[str, int]]) -> list[tuple[re.Pattern[str], int]]:
    return [(re.compile(pattern), strength) for pattern, strength in items]


# skill -> [(pattern, strength)]: a paraphrase of what the skill does, not a single stock phrase.
SKILL_PATTERNS = {
    "acknowledge": _compile(
        [
            (
                r"\b(?:i|we) (?:completely |totally |really |fully |definitely |absolutely )?(?:understand|hear you|hear that|hear what you|get (?:it|that|why|where you're coming from|how)|see (?:where you're coming from|why|your point|what you mean))",
                STRONG,
            ),
            (
                r"\b(?:that|it|this) (?:totally |completely |really |absolutely )?makes (?:total |complete |a lot of |perfect )?sense",
                STRONG,
            ),
            (
                r"\b(?:that's|that is|it's|it is) (?:a |an )?(?:totally |completely |perfectly |very |really )?(?:fair|reasonable|understandable|valid|legitimate|smart|sensible|wise)\b",
                STRONG,
            ),
            (
                r"\b(?:fair|good|great|smart|important|real) (?:enough|point|question|concern|thing to ask|worry)",
                STRONG,
            ),
            (r"\b(?:i|we) (?:really |truly |totally )?appreciate", STRONG),
            (
                r"\bthanks? (?:you )?(?:so much )?for (?:being|telling|sharing|letting|your honesty|the honesty|asking|that|taking|opening|answering|your time|the heads up|explaining)",
                STRONG,
            ),
            (r"\byou(?:'re| are) (?:absolutely |totally |completely )?right\b", STRONG),
            (
                r"\b(?:i'd|i would|anyone would|i'd probably) (?:feel|be|want|ask|do|think) (?:\w+ ){0,2}(?:the same|that too|too|as well|exactly that)",
                STRONG,
            ),
            (
                r"\b(?:a lot of|many|plenty of|most|lots of) (?:people|homeowners|folks|families|customers|renters|neighbors) (?:feel|say|ask|tell|worry|think|are|have|wonder)",
                STRONG,
            ),
            (
                r"\b(?:sorry|apologies) (?:to|for) (?:bother|interrupt|catch|the interruption|showing up|dropping by|barging|the intrusion|knocking)",
                STRONG,
            ),
            (
                r"\bthat (?:sounds|must (?:have been|be)|would be) (?:really |so |incredibly )?(?:frustrating|awful|stressful|rough|annoying|hard|tough|like a nightmare|terrible|a pain|a hassle|maddening)",
                STRONG,
            ),
            (
                r"\b(?:i'm|i am) (?:so |really )?sorry (?:to hear|that happened|you (?:went|had|dealt|got))",
                STRONG,
            ),
            (
                r"\b(?:it's|that's|this is) (?:a )?(?:big|important|serious|major|real) (?:decision|investment|purchase|commitment|expense|concern)",
                STRONG,
            ),
            (
                r"\byou (?:want|need) to (?:make sure|be sure|feel (?:sure|confident|comfortable)|protect)|\byou don't want to (?:overpay|get burned|be pressured|waste|get stuck|pay)",
                STRONG,
            ),
            (
                r"\bsounds like (?:you|your|it|that|the)|\bif i (?:hear|understand) you (?:right|correctly)",
                STRONG,
            ),
            (
                r"\b(?:right|smart|wise|good|fair) to be (?:careful|cautious|skeptical|suspicious|wary|picky)",
                STRONG,
            ),
            (
                r"\b(?:totally|completely|absolutely) (?:fair|understandable|get it|understand)|\bfair enough\b|\bmakes sense\b",
                STRONG,
            ),
            (
                r"\b(?:understood|got it|gotcha|i see|of course|sure thing|no doubt)\b|^(?:yes|yep|yeah|sure|absolutely|definitely|happy to|glad to|can do|will do)\b",
                WEAK,
            ),
        ]
    ),
    "discover_phrase": _compile(
        [
            (
                r"\b(?:tell me (?:more|about|what|how|a bit)|i'm curious (?:what|how|about|why|if)|help me understand|walk me through|i'd (?:love|like) to (?:hear|know|understand|learn)|can i ask (?:you )?(?:what|how|a|one|about))",
                STRONG,
            ),
        ]
    ),
    "value": _compile(
        [
            (
                r"\byour (?:\w+ )?(?:monthly |current |electric |electricity |power |energy |utility |heating |cooling |gas )+(?:bill|bills|costs?|payment|spend|usage)",
                STRONG,
            ),
            (
                r"\b(?:save|saves|saving|savings|lower|lowers|cut|cuts|reduce|reduces) (?:you |your |on your |about |around |roughly |up to |\$|\d)",
                STRONG,
            ),
            (
                r"\b(?:pay|pays|paid) (?:for )?(?:itself|themselves)|\bpayback\b|\bbreak even\b",
                STRONG,
            ),
            (r"\$\s?\d+|\b\d+ (?:a|per) month\b|\bper month\b|\ba month\b", STRONG),
            (
                r"\b(?:less|lower|cheaper) than (?:what )?(?:you(?:'re)? (?:pay|paying|spend)|your (?:current )?bill)",
                STRONG,
            ),
            (
                r"\b(?:home|house|property|resale) value\b|\bvalue of your (?:home|house)|\bsell your (?:home|house)",
                STRONG,
            ),
            (r"\b(?:no|zero|nothing|\$0) (?:money )?(?:up ?front|out of pocket|down)\b", STRONG),
            (
                r"\b(?:comfort|comfortable|quieter|warmer|cooler|drafts?|drafty|peace of mind|protect(?:ing|s)? your (?:home|family|roof|house))",
                STRONG,
            ),
            (
                r"\b(?:rate|price|bill)s? (?:\w+ ){0,2}(?:increases?|hikes?|gone up|going up|go up|went up|goes up|climbing|rising)|\butility rates\b",
                STRONG,
            ),
            (
                r"\b(?:pay|paying|spend|spending)\b.{0,25}\b(?:each|a|per|every) month|\bfor (?:power|electricity|energy)\b",
                STRONG,
            ),
            (r"\b(?:tax credit|rebate|incentive)s?\b", STRONG),
            (
                r"\b(?:matters?|important|priority|priorities) (?:most )?(?:to|for) you\b|\bwhat you care about\b",
                STRONG,
            ),
            (
                r"\bin your (?:situation|case|home|budget)|\bfor your (?:family|home|budget|situation|house|kids)",
                STRONG,
            ),
            (
                r"\b(?:fixed|predictable|locked[- ]in|steady|flat) (?:monthly )?(?:payment|rate|cost|price)",
                STRONG,
            ),
            (
                r"\bapples to apples\b|\bwhat(?:'s| is) included\b|\bthe same (?:equipment|warranty|coverage|panels|size)|\bcompare (?:the )?(?:quotes|options|numbers|two)",
                STRONG,
            ),
            (
                r"\bmonthly (?:payment|cost|bill|savings|number)s?\b|\b(?:came|come|comes) in (?:under|below|less)|\bcompar\w* (?:\w+ ){0,2}(?:quotes|options|numbers|prices)|\bside[- ]by[- ]side\b",
                STRONG,
            ),
            (
                r"\b(?:portable|take (?:it|them) with you|no (?:drilling|holes|permanent)|landlord[- ]approved|renter[- ]friendly|community solar)",
                STRONG,
            ),
            (
                r"\b(?:save|savings|value|worth|investment|benefit|efficient|efficiency|afford|affordable|budget)\b",
                WEAK,
            ),
        ]
    ),
    "social_proof": _compile(
        [
            (
                r"\b(?:some|many|a lot|several|other|a few|plenty|lots|dozens|\d+) (?:of )?(?:your )?(?:neighbors|homeowners|families|customers|clients|people|renters|members|households)\b(?! (?:all|already))",
                STRONG,
            ),
            (
                r"\b(?:reviews?|rated|rating|testimonials?|references?|case stud(?:y|ies)|bbb|better business bureau|google)\b",
                STRONG,
            ),
            (
                r"\bwe(?:'ve| have) (?:\w+ )?(?:installed|done|worked|helped|served|put|been)",
                STRONG,
            ),
            (
                r"\b(?:the|your) (?:neighbors?|family|folks|house|home) (?:at|on|down|across|two doors|next door|around the corner)",
                STRONG,
            ),
            (
                r"\b(?:customers|homeowners|clients|people) (?:like you|tell us|said|told|found|saw|in (?:this|your) (?:area|neighborhood))",
                STRONG,
            ),
        ]
    ),
    "next_step": _compile(
        [
            (
                r"\b(?:would|could|can|shall|should|may) (?:i|we) (?:\w+ )?(?:schedule|set up|book|come back|stop by|swing by|drop off|leave|send|email|mail|follow up|call|meet|pencil|text|show|put|sit down|run|go over|walk you through|prepare|draw up|price out|lay out|share|bring)",
                STRONG,
            ),
            (
                r"\b(?:would|does|will|could|might) (?:\w+ )?"
                + _DAY
                + r"(?: \w+){0,3} (?:work|be better|suit)",
                STRONG,
            ),
            (r"\b(?:would|does|will) (?:that|this|it) work\b|\bwhat (?:day|time|works)\b", STRONG),
            (
                r"\bhow (?:about|does) (?:i|we|" + _DAY + r"|this|a quick|a short|next|a free)",
                STRONG,
            ),
            (
                r"\b(?:when|what time|what day)(?:'s| is| would| might| works| could)? (?:\w+ )?(?:a )?(?:better|good|best|convenient|work|suit)",
                STRONG,
            ),
            (
                r"\b(?:free|no[- ]obligation|no[- ]cost|quick|short|brief|\d+[- ]minute|fifteen[- ]minute|ten[- ]minute|written|side[- ]by[- ]side) (?:assessment|estimate|quote|inspection|look|review|visit|chat|call|comparison|analysis|consultation|conversation|check|proposal|breakdown)",
                STRONG,
            ),
            (
                r"\b(?:i(?:'ll| will| can| could| would be happy to)|let me|happy to|glad to) (?:\w+ )?(?:leave|send|email|drop|mail|text|come back|stop by|swing by|follow up|call|get you|put|write|bring|show|prepare)|\bwe (?:can|could) (?:\w+ )?(?:go over|look at|meet|sit down|talk|review|set up|schedule)",
                STRONG,
            ),
            (
                r"\b(?:both of you|the two of you|you and your "
                + PARTNER
                + r"|when (?:your|you're|you are|he's|she's|they're) (?:\w+ )?(?:home|around|free|back))",
                STRONG,
            ),
            (r"\b(?:no pressure|no obligation|no commitment|zero pressure|no strings)\b", WEAK),
            (r"\b(?:my|a) (?:card|business card|number|brochure|flyer|one-pager)\b", WEAK),
        ]
    ),
    "respect": _compile(
        [
            (r"\b(?:respect|respecting) (?:your|that|the|you)", STRONG),
            (
                r"\byour (?:call|decision|choice)\b|\bup to you\b|\bwhat(?:ever)? (?:works|is best|suits) (?:for )?you|\bwhenever (?:works|suits|is good)|\bon your (?:terms|schedule|time)",
                STRONG,
            ),
            (
                r"\b(?:totally|completely|perfectly|absolutely) (?:fine|ok)\b|\bno problem at all\b|\bno worries\b|\bno hard feelings\b|\bfeel free to say no\b",
                STRONG,
            ),
            (
                r"\bi(?:'ll| will) (?:be quick|keep it (?:short|brief)|be brief|let you go|get out of your hair|leave you to it|keep this short)|\bwon't (?:take|keep) (?:much of )?(?:you|your)|\b(?:only|just) (?:take|need) (?:a minute|a moment|\d+ seconds|thirty seconds|two minutes|a second)",
                STRONG,
            ),
            (
                r"\b(?:decide|decision|look|talk|go over|review|sit down)\b[^.?!]{0,25}\btogether\b|\binclude (?:her|him|them|your "
                + PARTNER
                + r")|\b"
                + PARTNER
                + r"(?:'s)? (?:input|questions|opinion|thoughts|take|view)",
                STRONG,
            ),
            (
                r"\bif (?:it|this|that|now)(?:'s| is)? (?:not|isn't) (?:a good time|right for you|a fit|for you|useful)",
                STRONG,
            ),
            (
                r"\b(?:take your time|no rush|sleep on it|think it over|shop around|get (?:other|a few|more) quotes|compare us)\b",
                STRONG,
            ),
            (r"\bnot here to (?:pressure|push|rush|hassle)|\bno pressure\b", STRONG),
        ]
    ),
    "transparency": _compile(
        [
            (r"\b(?:license|licensed|insured|bonded|certified)\b", STRONG),
            (
                r"\b(?:look (?:us|me|it|them) up|check (?:us|me|it) out|verify|google us|call (?:our|the) office|our website|in writing|written quote|fine print|no hidden (?:fees|costs)|every (?:cost|fee)|all (?:the )?(?:costs|fees|numbers) (?:up ?front|in writing))",
                STRONG,
            ),
            (
                r"\b(?:my|our) (?:id|badge|credentials|company name|address|office|contract)\b",
                STRONG,
            ),
            (
                r"\bto be (?:honest|upfront|transparent|clear)|\bi(?:'ll| will) be (?:honest|straight|upfront)|\b(?:isn't|is not|not) (?:right|a fit|for) (?:for )?every",
                STRONG,
            ),
            (
                r"\b(?:cancel|cancellation|cooling[- ]off|three[- ]day) (?:period|right|window|policy)",
                STRONG,
            ),
        ]
    ),
    "polite": _compile(
        [
            (
                r"\b(?:please|thank you|thanks|sorry|excuse me|have a (?:great|good|nice|lovely)|appreciate)\b",
                STRONG,
            ),
        ]
    ),
}

# Open questions invite the homeowner to talk; closed ones can be answered yes or no.
OPEN_QUESTION = re.compile(
    r"^(?:(?:so|and|ok|well|now|just curious|out of curiosity|if you don't mind me asking|can i ask|may i ask|mind if i ask)[, ]+)*"
    r"(?:what|what's|how|how's|which|when|when's|where|who|why|tell me|walk me|anything|is there anything|any (?:questions|thoughts|concerns))\b"
)
CLOSED_QUESTION = re.compile(
    r"^(?:(?:so|and|ok|well|now|just curious)[, ]+)*(?:do|does|did|are|is|was|were|would|could|can|have|has|will|should|may|might)\b"
)
CHECK_IN = re.compile(
    r"\b(?:how does that sound|what do you think|sound good|does that make sense|fair\??$)"
)
ABOUT_THEM = re.compile(
    r"\b(?:you|your|you're|you've|yours|y'all|home|house|family|place|happened)\b"
)

# What a question is about, so the persona can answer it (first match wins: most specific first).
TOPICS = (
    (
        "verify",
        r"licen[cs]e|verify|reviews?|references?|look (?:us|me) up|scam|trust|credentials|badge|bbb",
    ),
    (
        "experience",
        r"happened|last (?:contractor|company|time|guy|crew)|went wrong|bad experience|ever had|burned|previous",
    ),
    (
        "decision",
        r"wife|husband|spouse|partner|together|decid|decision|both of you|who else|landlord|board|hoa",
    ),
    (
        "provider",
        r"current|provider|company you|contract|switch|happy with|like about|been with|locked",
    ),
    (
        "cost",
        r"bill|paying|spend|budget|price|cost|afford|quote|expect|compar|monthly|numbers|neighbou?r (?:paid|got)",
    ),
    (
        "time",
        r"when|what time|later|tomorrow|evening|weekend|better time|come back|minute|schedule|day",
    ),
    ("info", r"mail|send|email|brochure|information|website|read|packet|flyer"),
    (
        "home",
        r"roof|house|home|lived|windows|old|sun|shade|move|stay|lease|rent|yard|attic|heat|cool",
    ),
    (
        "concern",
        r"concern|worr|hesita|holding you back|biggest|matters?|important|priorit|most|feel|think",
    ),
)

# "I don't understand why..." is not an acknowledgement.
NEGATION = re.compile(
    r"\b(?:don't|do not|didn't|can't|cannot|never|not|no way|won't)\s+(?:\w+\s+)?$"
)
