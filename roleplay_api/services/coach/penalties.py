"""What costs a trainee points: harmful phrasings (capped at 5) and costly habits."""
# ruff: noqa: E501 - one regex per line reads better than regexes split at arbitrary points

from __future__ import annotations

import re

from roleplay_api.services.coach.patterns import PARTNER as _PARTNER

# penalty -> (pattern); every one of these is harmful: the reply scores at most 5.
HARMFUL = {
    "pressure": re.compile(
        r"\b(?:sign|decide|commit|buy|act|order|lock (?:it|this) in)(?: it| up| this| the (?:contract|paperwork)| with me)? (?:now|today|tonight|right now|right away|immediately|on the spot|this minute)\b"
        r"|\b(?:today|tonight) only\b|\bonly (?:today|tonight|good today|valid today|available today|until tonight)"
        r"|\b(?:offer|deal|price|discount|promotion|rebate|incentive|special)s? (?:ends?|expires?|goes? away|disappears?|won't last|is gone|vanishes)"
        r"|\b(?:last|final) (?:chance|day|opportunity)\b|\blimited[- ]time\b|\bwon't last\b|\bbefore it's too late\b"
        r"|\b(?:only|just) (?:\d+|a few|two|three|one|a couple) (?:more )?(?:spots?|slots?|openings?|systems?|installs?|left)\b"
        r"|\bprices? (?:go(?:es)?|are going|will go|is going) up (?:tomorrow|next week|soon|monday|after today|tonight)"
        r"|\b(?:need|want|have) (?:you )?(?:to )?(?:an answer|a decision|your signature|you to sign|to sign) (?:now|today|right now|tonight)"
        r"|\bwhat are you waiting for\b|\bdon't miss (?:out|this)\b|\bcrazy not to\b|\bno[- ]brainer\b|\bnow or never\b"
        r"|\b(?:i'm|i am) not leaving (?:until|without)|\bi(?:'ll| will) wait (?:here|right here|until|while)"
        r"|\bjust sign\b|\bsign (?:here|the (?:paperwork|contract|form))\b|\blet's (?:get you|get this|get it) (?:signed|done today|locked)"
        r"|\b(?:don't|do not) (?:need|have) to (?:ask|talk to|check with|wait for) (?:your |the )?"
        + _PARTNER
        + r"|\b(?:before|without) (?:your |the )?"
        + _PARTNER
        + r" (?:gets home|finds out|knows|says no)"
        r"|\btell (?:her|him|them) (?:you (?:already|just)|it's (?:done|decided))"
    ),
    "argue": re.compile(
        r"\byou(?:'re| are) (?:just )?(?:wrong|mistaken|not listening|overthinking|being (?:unreasonable|ridiculous|paranoid|silly|difficult|dramatic|stubborn)|making excuses)"
        r"|\b(?:that's|that is) (?:just |simply )?(?:not true|wrong|ridiculous|nonsense|absurd|silly|a myth|false|a lie|an excuse|crazy|a cop[- ]out)"
        r"|\byou (?:don't|do not|clearly don't|obviously don't|just don't) (?:understand|get it|know what you(?:'re| are) talking)"
        r"|\b(?:listen to me|let me finish|stop interrupting|with all due respect)\b|\bobviously (?:you|your)\b"
        r"|\byou (?:should|must) (?:have|'ve) (?:known|done your (?:research|homework))"
        r"|\byour (?:neighbor|current provider|provider|contractor|spouse|wife|husband|landlord|hoa|board)(?: is| was| are)? (?:an? )?(?:idiot|liar|ripping you off|scam|scammer|clueless|lying|crooks?)"
    ),
    "insult": re.compile(
        r"\b(?:stupid|idiots?|idiotic|dumb|moron(?:s|ic)?|fool|foolish|ignorant|clueless|cheapskate|loser|pathetic|lazy|crazy|nuts|insane|paranoid|dummy|dense|naive|delusional)\b"
        r"|\bshut up\b|\bwaste of (?:my )?time\b|\bare you (?:deaf|serious|kidding|blind)\b|\byou(?:'re| are) (?:too )?(?:broke|poor|cheap)\b"
        r"|\bwhat's wrong with you\b|\bget a clue\b|\bgrow up\b"
    ),
    "threat": re.compile(
        r"\byou(?:'ll| will) (?:regret|be sorry)|\bor else\b|\bi know where you live\b|\byou(?:'d| had) better\b"
        r"|\bi(?:'ll| will) (?:report you|sue|be back whether|make sure you|tell everyone|call (?:the|your) (?:hoa|landlord|police|city) on)"
        r"|\bsomething (?:bad )?(?:might|could|will) happen\b|\bdon't make me\b|\bwe'll see about that\b|\bwatch (?:yourself|your back)\b"
    ),
    "discrimination": re.compile(
        r"\b(?:you people|your kind|people like you|folks like you|your type)\b|\bman of the house\b"
        r"|\b(?:talk|speak) (?:to|with) (?:your|the) (?:husband|man)\b|\bwomen (?:don't|can't|never|always|usually)\b"
        r"|\b(?:at your age|old people|someone your age|too old|elderly people)\b"
        r"|\b(?:immigrants?|foreigners?|your english|speak english|your accent|your culture|your religion|ghetto|those people)\b"
        r"|\b(?:little lady|sweetheart|sweetie|honey|darling)\b|\b(?:renters|tenants) (?:never|always|usually don't)\b"
    ),
    "deception": re.compile(
        r"\b(?:everyone|everybody|all (?:of )?(?:your|the) neighbors|the whole (?:street|block|neighborhood)|every (?:house|home|neighbor))\b.{0,30}\b(?:already|has|have|signed|switched|got|is getting)"
        r"|\b(?:government|state|city|county|utility|law) (?:requires|mandates|mandated|program|will fine|is making|says you)"
        r"|\b(?:required|mandated|mandatory) by (?:law|the (?:state|city|government|utility|hoa))|\bit's (?:mandatory|the law|required)\b"
        r"|\b(?:i'm|i am|we're|we are) (?:with|from) (?:the|your) (?:utility|power company|electric company|city|government|county|state|hoa)"
        r"|\b(?:completely|totally|100%|absolutely|100 percent) free\b|\bfree (?:solar|panels|windows|roof|system|install)"
        r"|\bnever (?:pay|see) (?:an? )?(?:electric|power|energy|utility) bill|\b(?:no|zero) (?:electric|power|energy) bill (?:ever|again)"
        r"|\bguarantee(?:d)? (?:to |you(?:'ll)? )?(?:cut|eliminate|save|lower|wipe|double)|\b(?:no|zero) risk\b|\bcan't lose\b"
        r"|\b(?:we're|i'm|we are|i am) not (?:selling|a salesman|a salesperson|in sales|here to sell)"
        r"|\byour (?:neighbor|spouse|wife|husband|landlord|board) (?:already (?:agreed|signed|said)|said you|told me you)"
        r"|\byour (?:roof|house|home|windows?) (?:will|is going to|could) (?:collapse|cave in|fall apart|burn|catch fire|flood)"
        r"|\b(?:the )?(?:utility|power company|electric company) (?:is going|will go) (?:bankrupt|out of business)|\brates? (?:will|are going to) (?:double|triple)"
        r"|\b(?:hoa|landlord|board)s? (?:can't|cannot) (?:stop|say no|do anything)|\bno one will (?:ever )?(?:know|notice|check)"
    ),
    "data_request": re.compile(
        r"\b(?:your|give me|need|can i (?:get|have|see|grab)|what's|what is|read me|tell me)\b.{0,30}\b(?:social security|ssn|bank (?:account|details|info|login)|routing number|credit card|card number|debit card|cvv|pin number|pin code|password|date of birth|birth ?date|driver'?s license(?: number)?|maiden name|account password)"
    ),
}

# penalty -> (pattern, points): costly but not harmful.
COSTLY = {
    "dismissive": (
        re.compile(
            r"\b(?:doesn't|does not|don't) matter\b|\bforget (?:about )?(?:the price|that|your|about it)\b"
            r"|\bthat's not (?:important|a big deal|a real (?:concern|issue|problem))|\bdon't worry about (?:the |your |that|price|cost|him|her)\b"
            r"|\bwhatever\b|\btrust me\b|\bno offense\b|\b(?:but|however),? (?:you need|you have to|you should|you must|you really need|honestly|seriously)\b"
            r"|\b(?:it's|that's) not that (?:expensive|much|big a deal)|\bjust (?:a|an) (?:excuse|objection)\b"
        ),
        4,
    ),
    "leading": (
        re.compile(
            r"\b(?:don't|wouldn't|doesn't|won't) you (?:want|like|agree|love|think)|\bwho (?:doesn't|wouldn't) (?:want|like|love)\b"
            r"|\bwhy (?:wouldn't|would) you (?:not )?(?:want|say no|pass|turn)|\bcan you (?:really )?afford not to\b|\bwhat if i told you\b"
            r"|\bisn't it (?:worth|time|obvious)\b|\byou do want to (?:save|protect|keep)|(?<!that )\bright\?"
        ),
        3,
    ),
}

PRODUCT_TERMS = re.compile(
    r"\b(?:panels?|inverters?|micro-?inverters?|monocrystalline|polycrystalline|kw|kwh|kilowatts?|watts?|efficiency|tier[- ]?1|"
    r"batter(?:y|ies)|lithium|technology|frames?|aluminum|glass|triple[- ]pane|double[- ]pane|low-e|argon|vinyl|fiberglass|"
    r"shingles?|underlayment|membrane|warrant(?:y|ies)|certified|grade|installers?|racking|app|monitoring|output|specs?)\b"
)

HARMFUL_NAMES = (*HARMFUL, "shouting")
