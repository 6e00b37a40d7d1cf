"""From what the classifiers read to a score out of 20, as points a trainer can name.

The score model (model.py) is linear in the heads' probabilities, so each skill's share of the
score is its own points and each flaw's share its own cost; what the model adds beyond them
(the reply's length, its closeness to what the buyer said, the difficulty) is the base. Then
the caps a trainer never bends: a harm holds the reply to HARM_CAP (a severe one, lower), saying
the same thing again to REPEAT_CAP, and asking again what the buyer already said to REASK_CAP.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from roleplay_api.difficulty import DIFFICULTIES
from roleplay_api.services.coach.base import MAX_SCORE
from roleplay_api.services.coach.features import REPEAT_AT, Context
from roleplay_api.services.coach.model import Model, score_features
from roleplay_api.services.coach.reading import SIGN_NAMES
from roleplay_api.services.coach.state import SEVERE_HARMS

SKILLS = (
    "acknowledge",
    "address",
    "discover",
    "value",
    "social_proof",
    "transparency",
    "next_step",
    "respect",
)
HARMS = ("threat", "harassment", "discrimination", "data_grab", "insult", "deception", "pressure")
FLAWS = (
    "ignores",
    "generic",
    "stock_stack",
    "reask",
    "repeat",
    "premature_close",
    "off_topic",
    "feature_dump",
    "dismissive",
    "vague",
    "monologue",
    "leading",
    "discount_dump",
    "broken_promise",
)
HARM_CAP = 5
SEVERE_CAP = 2
REPEAT_CAP = 4
REASK_CAP = 8
KIND_AT = 0.1  # the likeliest harm kind's own head must reach this to name a harm
# A graver kind is named when its head reaches this share of the likeliest's (leave one writer
# out, the kind named right: 0.5 87.5 %, 0.7 88.8 %, 0.85 89.0 %, 1.0 88.8 %; 0.7 keeps most
# threats named as threats, 76 of 98 against 80 at 0.5 and 72 at 1.0).
GRAVER_AT = 0.7
# A severe harm ends a demanding buyer's conversation at once only when a phrase rule named it
# or its kind's head reads at least this (state.severe). Leave one writer out on the train
# writers, of 1,002 severe verdicts 749 reach 0.5 and 96 % of those are harms; of the 253 below
# it, 52 %.
SURE_AT = 0.5
CREDIT_AT = 0.5  # a skill is credited (and named) from this probability
FLAW_AT = 0.5
# A reply with a clear flaw (ignores the buyer, generic, stacked stock phrases...) is not a top
# reply: of the train writers' 2,430 replies labelled with a flaw, trainers scored one above 13.
FLAWED_CAP: int | None = 13
FLAWED_AT = 0.5  # the flaw's head must reach this
# Three stock phrases or more ("I hear you, I totally understand, that makes sense...") earn
# little more than one: such a reply is held to STOCK_STACK_CAP. Of the train writers' 114 replies
# with three or more (reading._STOCK), trainers scored none above 9; hand-played gaming sessions
# had scored 8-13, and the "I hear you about X. A lot of homeowners feel that way. What matters
# most to you...?" template 14 until the crowd and the all-purpose question counted (2026-12-07).
STOCK_STACK_AT = 3
STOCK_STACK_CAP: int | None = 8
# A reply that talks about selling instead of selling (phrases.technique_talk: a note to the
# grader, or two or more of the coach's own names for a technique) is held to TECHNIQUE_TALK_CAP.
TECHNIQUE_TALK_CAP: int | None = 6
# A reply that mostly hands the buyer's words back (content-word overlap ECHO_AT or more with
# one of its lines or all of them together, times and days apart, features.echoes) is held to
# ECHO_CAP. Of the train writers' replies, the 14 at 0.6 or more are all labelled 6 or less (at
# 0.5, 1 of 28 is above 6); round 15's "A license you can check with the state is a start,
# you'll give me that..." (0.63) had scored 13.
ECHO_AT = 0.6
ECHO_CAP: int | None = 6
# Once the buyer has said goodbye, the only good reply is a short, graceful exit (thanks, a way
# to reach you, no pitch, no question but whether to leave something): it earns at least
# GOODBYE_FLOOR; anything else ignores the goodbye and is held to GOODBYE_CAP. (The train
# writers' trainers scored such exits 14..18 and pitching on 0..4; leave one writer out, bands
# 0.8012 -> 0.8033, pairwise 0.9323 -> 0.9324, harms capped 96.0 -> 96.3 %.)
GOODBYE_FLOOR: int | None = 14
# A bare "ok bye" is leaving, and no more: the train writers' trainers scored such exits 9-12
# ("Bye" 11, "ok bye" 9, 10, 12, "Goodbye." 12), not 14.
GOODBYE_BARE_FLOOR: int | None = 11
GOODBYE_CAP: int | None = 4


@dataclass(frozen=True)
class Score:
    total: int
    points: dict[str, int]  # credited skill -> points
    costs: dict[str, int]  # flaw or harm -> points lost (positive)
    harm: str | None  # the harm that capped it
    capped_by: str | None  # "harm", "repeat", "reask", another flaw or None
    flaws: tuple[str, ...] = ()
    probabilities: dict[str, float] = field(default_factory=dict)


def _stock_phrases(signs: np.ndarray) -> int:
    """How many stock phrases the reply stacks (reading.SIGN_NAMES: capped at 4, over 4)."""
    return round(float(signs[SIGN_NAMES.index("stock_phrases")]) * 4)


def judge_harm(
    probs: dict[str, float],
    rules: dict[str, str],
    model: Model,
    harmful: float,
    claims: bool = True,
) -> str | None:
    """The harm a reply commits: the model's (``harmful``: how likely a harm at all, from
    Model.harm_probability), or an unmistakable phrase; the worst kind.

    ``claims``: the reply states something. One that only asks questions claims nothing, so
    the model does not call it a lie (of the train writers' 675 such replies none is labelled
    deception; out of fold the model had called 7 clean ones that, "Who approves the
    applications on your street?" among them)."""
    if rules:
        return next(h for h in HARMS if h in rules)
    if harmful < model.harm_threshold:
        return None
    kinds = HARMS if claims else tuple(h for h in HARMS if h != "deception")
    likeliest = max(probs.get(h, 0.0) for h in kinds)
    # Between kinds the model reads about as likely, the graver one is named (HARMS is ordered
    # gravest first): a trainer calls "shame if the board found out" a threat, not pressure.
    kind = next(h for h in kinds if probs.get(h, 0.0) >= GRAVER_AT * likeliest)
    # The "harmful at all" bar is low (it must catch harms in any wording); a reply none of
    # whose harm kinds reads as even faintly likely ("Hello") is not named for one.
    return kind if likeliest >= KIND_AT else None


def score(
    model: Model,
    probs: dict[str, float],
    signs: np.ndarray,
    ctx: Context,
    difficulty: str,
    rules: dict[str, str],
    broken_promise: bool,
    claims: bool = True,
    technique_talk: bool = False,
) -> Score:
    level = DIFFICULTIES.index(difficulty) / (len(DIFFICULTIES) - 1)
    p = np.array([probs[h] for h in model.heads], dtype=np.float32)
    n = len(model.heads)
    w = model.score_w
    share = p * (w[:n] + w[n : 2 * n] * level)  # each head's part of the raw score
    inputs = score_features(p, level, signs)
    raw = model.calibrate(model.raw_score(inputs))
    points = {
        h: round(s)
        for h, s in zip(model.heads, share, strict=True)
        if h in SKILLS and probs[h] >= CREDIT_AT and s >= 0.5
    }
    flaws = [h for h in FLAWS if probs.get(h, 0.0) >= FLAW_AT]
    # Facts of the conversation, not impressions: no re-ask without a fact the buyer gave, no
    # repeat without an earlier line of the trainee's that this one resembles.
    if not ctx.reask and "reask" in flaws:
        flaws.remove("reask")
    reask = "reask" in flaws  # the conversation and the re-ask head agree
    if ctx.repeat < REPEAT_AT / 2 and "repeat" in flaws:
        flaws.remove("repeat")
    if ctx.repeat >= REPEAT_AT and "repeat" not in flaws:
        flaws.append("repeat")
    if broken_promise and "broken_promise" not in flaws:
        flaws.append("broken_promise")
    costs = {
        h: round(-s) for h, s in zip(model.heads, share, strict=True) if h in flaws and s <= -0.5
    }
    if broken_promise:
        costs["broken_promise"] = max(costs.get("broken_promise", 0), 4)
        raw -= 4
    total = max(0, min(MAX_SCORE, round(raw)))
    harm = judge_harm(probs, rules, model, model.harm_probability(inputs, probs), claims)
    capped_by = None
    if harm is not None:
        cap = SEVERE_CAP if harm in SEVERE_HARMS else HARM_CAP
        costs[harm] = max(0, total - cap) + costs.get(harm, 0)
        total, capped_by = min(total, cap), "harm"
        points = {}  # nothing a harmful reply does earns credit
    elif "repeat" in flaws and ctx.repeat >= REPEAT_AT and total > REPEAT_CAP:
        costs["repeat"] = costs.get("repeat", 0) + total - REPEAT_CAP
        total, capped_by = REPEAT_CAP, "repeat"
    elif reask and total > REASK_CAP:
        costs["reask"] = costs.get("reask", 0) + total - REASK_CAP
        total, capped_by = REASK_CAP, "reask"
    elif TECHNIQUE_TALK_CAP is not None and technique_talk and total > TECHNIQUE_TALK_CAP:
        costs["technique_talk"] = costs.get("technique_talk", 0) + total - TECHNIQUE_TALK_CAP
        total, capped_by = TECHNIQUE_TALK_CAP, "technique_talk"
        flaws.append("technique_talk")
    elif ECHO_CAP is not None and ctx.echo >= ECHO_AT and total > ECHO_CAP:
        costs["echo"] = costs.get("echo", 0) + total - ECHO_CAP
        total, capped_by = ECHO_CAP, "echo"
        flaws.append("echo")
        points = {}  # the skills read in the buyer's own words are theirs, not the trainee's
    elif (
        STOCK_STACK_CAP is not None
        and _stock_phrases(signs) >= STOCK_STACK_AT
        and (total > STOCK_STACK_CAP)
    ):
        costs["stock_stack"] = costs.get("stock_stack", 0) + total - STOCK_STACK_CAP
        total, capped_by = STOCK_STACK_CAP, "stock_stack"
        if "stock_stack" not in flaws:
            flaws.append("stock_stack")
    elif FLAWED_CAP is not None and total > FLAWED_CAP:
        clear = [f for f in flaws if probs.get(f, 0.0) >= FLAWED_AT]
        if clear:
            worst = max(clear, key=lambda f: probs.get(f, 0.0))
            costs[worst] = costs.get(worst, 0) + total - FLAWED_CAP
            total, capped_by = FLAWED_CAP, worst
    if (
        STOCK_STACK_CAP is not None
        and harm is None
        and "stock_stack" not in costs
        and _stock_phrases(signs) >= STOCK_STACK_AT
    ):
        # scored under the cap anyway: the stack is still what the message's feedback names, at
        # no cost (not a flaw of the session: the final feedback's main cost is a charged one)
        costs["stock_stack"] = 0
    return Score(total, points, costs, harm, capped_by, tuple(flaws), probs)


def after_goodbye(result: Score, graceful: bool, bare: bool = False) -> Score:
    """A reply to a buyer who has already said goodbye (no harm in it: a harm caps it anyway);
    ``bare``: a graceful exit that is only a goodbye ("ok bye")."""
    if result.harm is not None:
        return result
    # a graceful exit sent again is still a repeat (its cap stands)
    raise_it = not {"repeat", "reask"} & set(result.flaws)
    floor = GOODBYE_BARE_FLOOR if bare and GOODBYE_FLOOR is not None else GOODBYE_FLOOR
    if graceful and raise_it and floor is not None and result.total < floor:
        return replace(result, total=floor, costs={}, capped_by=None, flaws=())
    if not graceful and GOODBYE_CAP is not None and result.total > GOODBYE_CAP:
        costs = {
            **result.costs,
            "ignores": result.costs.get("ignores", 0) + result.total - GOODBYE_CAP,
        }
        flaws = result.flaws if "ignores" in result.flaws else (*result.flaws, "ignores")
        return replace(result, total=GOODBYE_CAP, costs=costs, capped_by="ignores", flaws=flaws)
    return result
