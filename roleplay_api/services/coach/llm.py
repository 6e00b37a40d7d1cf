"""The optional LLM coach: any OpenAI-compatible chat-completions server, on the same rubric
and conversation state as the default engine, which answers whenever the model cannot."""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from roleplay_api.services.coach.base import (
    MAX_EXCHANGES,
    MAX_SCORE,
    Judgement,
    ScenarioBrief,
    Turn,
)
from roleplay_api.services.coach.engine import MeaningCoach
from roleplay_api.services.coach.feedback import SKILL_HINTS
from roleplay_api.services.coach.rubric import HARM_CAP, HARMS, SEVERE_CAP, SEVERE_HARMS, SKILLS
from roleplay_api.services.coach.state import State, derive

log = logging.getLogger(__name__)

# What one skill may earn at most: the model scores within the same rubric as the engine.
SKILL_MAX = 6

# PostgreSQL stores neither NUL nor a lone surrogate in JSONB; a model may emit both.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(value: str) -> None:
    if _UNSTORABLE.search(value):
        raise ValidationError("Must not contain NUL or unpaired surrogate characters.")


def _text(max_length: int, **kwargs: Any) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=max_length), _storable], **kwargs)


class SkillSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    points = fields.Integer(required=True, strict=True, validate=validate.Range(0, SKILL_MAX))
    evidence = _text(400, required=True)


class HarmSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.String(required=True, validate=validate.OneOf(HARMS))
    evidence = _text(400, required=True)


class LLMAnswerSchema(Schema):
    """What the model must answer with; anything else falls back to the engine."""

    class Meta:
        unknown = EXCLUDE

    reply = _text(2000, required=True)
    feedback = _text(600, required=True)
    # Skill names the rubric does not know are dropped (LLMCoach.judge), not fatal.
    skills = fields.Dict(
        keys=fields.String(validate=validate.Length(max=40)),
        values=fields.Nested(SkillSchema),
        required=True,
    )
    harm = fields.Nested(HarmSchema, allow_none=True, load_default=None)


class LLMError(Exception):
    """The model's answer could not be used; ``reason`` is short enough to store."""

    def __init__(self, reason: str, retry: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


class ChatClient:
    """POST {base}/chat/completions asking for a JSON object; stdlib only, bounded time."""

    def __init__(
        self, base_url: str, api_key: str, model: str, timeout: float, retries: int
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.attempts = 1 + max(0, retries)

    def complete(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        """The validated answer, or LLMError after the last attempt."""
        error = LLMError("no attempt")
        for _ in range(self.attempts):
            try:
                return LLMAnswerSchema().load(self._request(messages))
            except ValidationError as exc:
                error = LLMError("invalid: " + ",".join(sorted(exc.messages_dict)))
            except LLMError as exc:
                error = exc
                if not exc.retry:
                    break
        raise error

    def _request(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        body = json.dumps(
            {
                "model": self.model,
                "messages": messages,
                "temperature": 0,
                "response_format": {"type": "json_object"},
            }
        ).encode()
        if not self.url.startswith(("http://", "https://")):
            raise LLMError("bad base url", retry=False)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url, body, headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(1_000_000)
        except urllib.error.HTTPError as exc:
            exc.close()
            # 429 and 5xx may pass; any other 4xx (bad key, bad model) will not.
            raise LLMError(f"http {exc.code}", retry=exc.code == 429 or exc.code >= 500) from None
        except TimeoutError:
            raise LLMError("timeout") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise LLMError("timeout") from None
            raise LLMError("unreachable") from None
        try:
            content = json.loads(raw)["choices"][0]["message"]["content"]
            answer = json.loads(content)
        except (ValueError, KeyError, IndexError, TypeError):
            raise LLMError("invalid json") from None
        if not isinstance(answer, dict):
            raise LLMError("invalid json")
        return answer


def _state_summary(state: State) -> str:
    facts = "; ".join(f"{topic}: {line}" for topic, line in state.facts.items()) or "none yet"
    return (
        f"Exchange {state.exchange} of {MAX_EXCHANGES}. Facts the homeowner already gave: "
        f"{facts}. Topics the salesperson already asked about: "
        f"{', '.join(state.asked) or 'none'}. Promises the salesperson made: "
        f"{', '.join(sorted(state.promises)) or 'none'}. The homeowner's open objection: "
        f"{state.open_objection or 'none'}. "
        + ("The homeowner has already ended the conversation. " if state.shut else "")
    )


def _prompt(
    scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], message: str, state: State
) -> list[dict[str, str]]:
    persona = scenario.persona
    ending = (
        "This is the last exchange: the reply must conclude, either agreeing to a concrete next "
        "step or declining, in line with how the conversation went."
        if state.exchange >= MAX_EXCHANGES
        else ""
    )
    rubric = "; ".join(f"{name} (0..{SKILL_MAX}): {hint}" for name, hint in SKILL_HINTS.items())
    system = (
        f"You play {persona.get('name', 'a homeowner')}, a homeowner at the door, in a sales "
        f"training roleplay: {scenario.title}. {scenario.description} Difficulty {difficulty}: "
        f"the harder, the more sceptical. Answer the question asked, remember what you said and "
        f"never repeat a sentence, react to pressure, lies, threats and discounts and say why, "
        f"and once you have ended the conversation stay consistent. {ending}\n"
        f"State: {_state_summary(state)}\n"
        f"Also judge the salesperson's last message as a demanding sales trainer, relative to "
        f"what the homeowner just said and the state. Skills, each with the points it earns and "
        f"the salesperson's exact words as evidence (omit skills not shown): {rubric}. "
        f"Re-asking what the homeowner already said, repeating oneself, ignoring the homeowner "
        f"and breaking a promise earn nothing. Harms (any wording; negated or quoted words are "
        f"not the act): {', '.join(HARMS)}.\n"
        'Answer only with a JSON object: {"reply": the homeowner\'s reply, "feedback": one or '
        'two sentences for the trainee, "skills": {name: {"points": int, "evidence": words}}, '
        '"harm": null or {"kind": one of the harms, "evidence": words}}.'
    )
    messages = [{"role": "system", "content": system}]
    messages.append({"role": "assistant", "content": str(persona.get("openingLine", ""))})
    for turn in history:
        role = "user" if turn.role == "user" else "assistant"
        messages.append({"role": role, "content": turn.content})
    messages.append({"role": "user", "content": message})
    return messages


class LLMCoach:
    """Judges and replies with the model; the default engine answers whenever it cannot."""

    name = "llm"
    rubric_version = f"llm-2+{MeaningCoach.rubric_version}"

    def __init__(self, client: ChatClient, engine: MeaningCoach | None = None) -> None:
        self.client = client
        self.engine = engine or MeaningCoach()

    def judge(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], message: str
    ) -> Judgement:
        fallback = self.engine.judge(scenario, difficulty, history, message)
        state = derive(scenario, difficulty, history, self.engine._read_act)
        try:
            answer = self.client.complete(_prompt(scenario, difficulty, history, message, state))
        except LLMError as exc:
            log.warning("coach: LLM failed (%s); the engine answered", exc.reason)
            return replace(
                fallback,
                engine=f"{self.engine.name}-fallback",
                fallback_reason=exc.reason[:32],
            )
        skills = {name: skill for name, skill in answer["skills"].items() if name in SKILLS}
        points = {name: int(skill["points"]) for name, skill in skills.items() if skill["points"]}
        evidence = {name: skill["evidence"] for name, skill in skills.items()}
        harm = answer["harm"]["kind"] if answer["harm"] else None
        if harm:
            evidence[harm] = answer["harm"]["evidence"]
        # The model does not get to pay for a harm either of us saw: the cap holds.
        harm = harm or fallback.harm
        score = min(MAX_SCORE, sum(points.values()))
        if harm:
            score = min(score, SEVERE_CAP if harm in SEVERE_HARMS else HARM_CAP)
            points = {}
        # The buyer stays the engine's once the door is shut: the state decides, not the model.
        response = fallback.response if state.shut else answer["reply"]
        # What is stored is what was judged: the model's skills and evidence, the capped score.
        # a harm the LLM named is its verdict (sure); the engine's own keeps its certainty
        sure = (fallback.user_meta or {}).get("harmSure") is not False
        user_meta = dict(fallback.user_meta or {}) | {
            "score": score,
            "harm": harm,
            "harmSure": sure if harm == fallback.harm else True,
            "skills": list(points),
            "evidence": evidence,
        }
        return Judgement(
            response=response,
            feedback=answer["feedback"],
            score=score,
            skills=tuple(points),
            penalties=((harm,) if harm else ()) + tuple(p for p in fallback.penalties if p != harm),
            engine=self.name,
            points=points,
            harm=harm,
            evidence=evidence,
            user_meta=user_meta,
            reply_meta=fallback.reply_meta,
        )

    def conclude(self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn]):
        # The final feedback quotes the session's own messages; the engine does that reliably.
        return self.engine.conclude(scenario, difficulty, history)
