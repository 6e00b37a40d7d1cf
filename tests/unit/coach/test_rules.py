"""The rules engine's parts: text, signals, scoring, persona and feedback (no database)."""

from __future__ import annotations

import pytest

from roleplay_api.services.coach import RulesCoach, Turn
from roleplay_api.services.coach.library import bundled_brief, bundled_briefs
from roleplay_api.services.coach.persona import step, warmth
from roleplay_api.services.coach.scoring import score
from roleplay_api.services.coach.signals import detect
from roleplay_api.services.coach.text import correct_word, normalize, shouting
from tests.contract import CONTRACT_SCENARIO_IDS, GENERAL_SCENARIO_ID

PRICE = bundled_brief("homeowner_objection")
COACH = RulesCoach()


def judge(message: str, difficulty: str = "PRO", scenario=PRICE, history=()):
    return COACH.judge(scenario, difficulty, list(history), message)


def test_normalize_expands_shorthand_and_fixes_typos_but_keeps_real_words() -> None:
    assert normalize("i undrestand, whats ur bill?") == "i understand, what's your bill?"
    assert correct_word("schedual") == "schedule"
    assert correct_word("understood") == "understood"
    assert shouting("SIGN THE CONTRACT NOW PLEASE") and not shouting("I hear you, NO pressure.")


@pytest.mark.parametrize(
    ("message", "skill"),
    [
        ("That makes total sense.", "acknowledge"),
        ("I'd feel exactly the same in your shoes.", "acknowledge"),
        ("That sounds really frustrating.", "acknowledge"),
        ("Help me understand what worries you most.", "discover"),
        ("whats ur bill running these days", "discover"),
        ("It would come in under what you pay the utility each month.", "value"),
        ("A few families on this street went through the same thing.", "social_proof"),
        ("Would Thursday evening work for a quick look?", "next_step"),
        ("It's entirely your call, take your time.", "respect"),
        ("Here's my license number, please look us up.", "transparency"),
    ],
)
def test_paraphrases_earn_the_skill(message: str, skill: str) -> None:
    assert skill in detect(message).skills


@pytest.mark.parametrize(
    ("message", "penalty"),
    [
        ("Sign today or the discount is gone.", "pressure"),
        ("You're wrong about that.", "argue"),
        ("Don't be an idiot.", "insult"),
        ("You'll regret this.", "threat"),
        ("Let me talk to the man of the house.", "discrimination"),
        ("Everyone on your street already signed.", "deception"),
        ("I just need your social security number to check.", "data_request"),
        ("YOU NEED TO LISTEN TO ME RIGHT NOW", "shouting"),
    ],
)
def test_harmful_replies_are_named_and_capped(message: str, penalty: str) -> None:
    judgement = judge(message)
    assert penalty in judgement.penalties
    assert judgement.score <= 5


def test_stock_phrases_used_badly_earn_nothing() -> None:
    judgement = judge("I understand, but honestly you'd be crazy not to sign today.")
    assert judgement.skills == ()
    assert judgement.score == 0
    assert {"pressure", "insult"} <= set(judgement.penalties)
    assert "crazy not to" in judgement.feedback


def test_negated_acknowledgement_is_not_credited() -> None:
    assert "acknowledge" not in detect("I don't understand why you'd say that.").skills


def test_costly_habits() -> None:
    features = (
        "Our panels are tier-1 monocrystalline with microinverters, lithium batteries, 22 percent"
        " efficiency, app monitoring and a 25 year warranty, the best technology out there."
    )
    assert "feature_dump" in judge(features).penalties
    assert "ignored_objection" in judge("We are the number one company in the state.").penalties
    assert "leading" in judge("Don't you want to save money?").penalties
    assert "monologue" in judge(" ".join(["I hear you and"] * 40)).penalties


def test_a_better_reply_earns_more() -> None:
    weak = judge("Our price is competitive.").score
    fair = judge("I understand. Our price is competitive.").score
    strong = judge("That's fair, it's a big number. What are you comparing it to?").score
    assert weak < fair < strong


def test_weak_evidence_earns_less_on_harder_difficulties() -> None:
    signals = detect("Understood. Do you have a minute?")
    assert (
        score(signals, PRICE.skills, "BEGINNER").total
        > score(signals, PRICE.skills, "NIGHTMARE").total
    )


def test_feedback_names_what_earned_and_what_cost() -> None:
    good = judge("That makes sense. What's your monthly bill right now?")
    assert good.feedback.startswith(f"{good.score}/20: you acknowledged the concern")
    bad = judge("Forget about the price, the panels are great.")
    assert "Cost: brushing the concern aside" in bad.feedback


def test_same_input_same_output() -> None:
    assert judge("I hear you. What's your bill?") == judge("I hear you. What's your bill?")


def test_persona_answers_the_question_asked() -> None:
    assert "two hundred and ten a month" in judge("I hear you. What's your electric bill?").response
    spouse = bundled_brief("spouse_decision")
    reply = judge("Of course. When are you both usually home?", scenario=spouse).response
    assert "evenings after six" in reply


def test_nightmare_holds_out_longer_than_beginner() -> None:
    two_good = [step(12, False, "BEGINNER")] * 2
    assert warmth("BEGINNER", two_good) >= 1
    assert warmth("NIGHTMARE", [step(12, False, "NIGHTMARE")] * 2) < 0
    assert warmth("NIGHTMARE", [step(12, False, "NIGHTMARE")] * 5) < 1  # good is not enough
    assert warmth("NIGHTMARE", [step(16, False, "NIGHTMARE")] * 5) >= 1  # excellent is
    assert step(18, True, "BEGINNER") < 0  # harm cools even the easiest homeowner


def play(messages: list[str], difficulty: str, scenario=PRICE) -> list[Turn]:
    history: list[Turn] = []
    for message in messages:
        j = COACH.judge(scenario, difficulty, history, message)
        history += [Turn("user", message, j.score, j.skills), Turn("assistant", j.response)]
    return history


STRONG = [
    "That's completely fair, it's a big number. What were you expecting it to come in at?",
    "Okay, and what's your electric bill running each month?",
    "So if the monthly payment came in under that, would that change how the price feels?",
    "A few homeowners nearby compared quotes too; the difference was usually system size."
    " Could I put both side by side for you?",
    "Would Thursday evening work to go over the numbers together? No obligation at all.",
]
PUSHY = [
    "Our price is competitive.",
    "You're wrong, it's not expensive.",
    "Sign today and I'll knock off 5%.",
    "What are you waiting for?",
    "Just sign here.",
]


def test_fifth_reply_concludes_in_line_with_the_conversation() -> None:
    won = play(STRONG, "PRO")
    assert won[-1].content == PRICE.persona["closing"]["agree"][0]
    lost = play(PUSHY, "PRO")
    assert PRICE.persona["closing"]["decline"][0] in lost[-1].content


def test_the_persona_softens_earlier_on_beginner_than_on_nightmare() -> None:
    softening = set(PRICE.persona["softening"])
    beginner = play(STRONG[:2], "BEGINNER")
    nightmare = play(STRONG[:2], "NIGHTMARE")
    assert any(s in beginner[1].content for s in softening)
    assert not any(s in t.content for t in nightmare for s in softening)


def test_final_feedback_is_about_this_session() -> None:
    history = play([STRONG[0], PUSHY[2], STRONG[1], PUSHY[0], STRONG[4]], "PRO")
    final = COACH.conclude(PRICE, "PRO", history)
    text = " ".join(final.strengths + final.improvements)
    assert "Message 1: you acknowledged the concern" in text
    assert "Message 2: pressure or false urgency" in text
    assert "Dana Whitfield declined" in text
    assert final.tips and len(final.tips) <= 5


def test_every_scenario_has_depth() -> None:
    briefs = bundled_briefs()
    assert CONTRACT_SCENARIO_IDS | {GENERAL_SCENARIO_ID} <= set(briefs)
    assert len(briefs) >= 10
    for brief in briefs.values():
        persona = brief.persona
        assert {"name", "openingLine", "concerns", "keywords", "objections", "answers"} <= set(
            persona
        )
        assert persona["softening"] and persona["hardening"] and persona["closing"]["agree"]
        assert persona["closing"]["decline"] and brief.tips and brief.skills
