"""The optional LLM coach: any OpenAI-compatible chat-completions server, rules as the fallback."""

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
    FinalFeedback,
    Judgement,
    ScenarioBrief,
    Turn,
    exchange_number,
)
from roleplay_api.services.coach.penalties import HARMFUL_NAMES
from roleplay_api.services.coach.rules import RUBRIC_VERSION, RulesCoach
from roleplay_api.services.coach.scoring import HARMFUL_CAP, SKILL_POINTS

log = logging.getLogger(__name__)


# PostgreSQL stores neither NUL nor a lone surrogate in JSONB; a model may emit both.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(value: str) -> None:
    if _UNSTORABLE.search(value):
        raise ValidationError("Must not contain NUL or unpaired surrogate characters.")


def _text(max_length: int) -> fields.String:
    return fields.String(
        required=True, validate=[validate.Length(min=1, max=max_length), _storable]
    )


class LLMAnswerSchema(Schema):
    """What the model must answer with; anything else falls back to the rules."""

    class Meta:
        unknown = EXCLUDE

    reply = _text(2000)
    feedback = _text(600)
    score = fields.Integer(required=True, strict=True, validate=validate.Range(0, MAX_SCORE))
    skills = fields.List(_text(40), required=True)


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


def _prompt(
    scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], message: str
) -> list[dict[str, str]]:
    persona = scenario.persona
    number = exchange_number(history)
    ending = (
        "This is the last exchange: the reply must conclude, either agreeing to a concrete next "
        "step or declining, in line with how the conversation went."
        if number >= MAX_EXCHANGES
        else f"This is exchange {number} of {MAX_EXCHANGES}."
    )
    system = (
        f"You play {persona.get('name', 'a homeowner')}, a homeowner at the door, in a sales "
        f"training roleplay: {scenario.title}. {scenario.description} "
        f"Your concerns: {', '.join(map(str, persona.get('concerns') or []))}. "
        f"Difficulty {difficulty}: the harder, the longer you resist. Answer the question the "
        f"salesperson asked, soften when they listen and earn it, harden when pushed. {ending}\n"
        f"Also judge the salesperson's last message as a sales coach, 0 to {MAX_SCORE}: credit "
        f"acknowledging the concern, discovery questions, value in the homeowner's terms, honest "
        f"social proof, a low-pressure next step, respect, verifiable facts, concision; pressure, "
        f"false urgency, arguing, insults, threats, discrimination, lies or asking for personal "
        f"data score {HARMFUL_CAP} or less.\n"
        'Answer only with a JSON object: {"reply": the homeowner\'s reply, "feedback": one or '
        'two sentences for the trainee, "score": integer, "skills": list drawn from '
        f"{sorted(SKILL_POINTS)}}}."
    )
    messages = [{"role": "system", "content": system}]
    messages.append({"role": "assistant", "content": str(persona.get("openingLine", ""))})
    for turn in history:
        role = "user" if turn.role == "user" else "assistant"
        messages.append({"role": role, "content": turn.content})
    messages.append({"role": "user", "content": message})
    return messages


class LLMCoach:
    """Scores and replies with the model; the rules answer whenever the model cannot."""

    name = "llm"
    rubric_version = f"llm-1+{RUBRIC_VERSION}"

    def __init__(self, client: ChatClient, rules: RulesCoach | None = None) -> None:
        self.client = client
        self.rules = rules or RulesCoach()

    def judge(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], message: str
    ) -> Judgement:
        fallback = self.rules.judge(scenario, difficulty, history, message)
        try:
            answer = self.client.complete(_prompt(scenario, difficulty, history, message))
        except LLMError as exc:
            log.warning("coach: LLM failed (%s); the rules engine answered", exc.reason)
            return replace(fallback, engine="rules-fallback", fallback_reason=exc.reason[:32])
        score = answer["score"]
        if set(fallback.penalties).intersection(HARMFUL_NAMES):
            # The model does not get to pay for a harmful reply: the cap holds whatever it says.
            score = min(score, HARMFUL_CAP)
        return Judgement(
            response=answer["reply"],
            feedback=answer["feedback"],
            score=score,
            skills=tuple(s for s in answer["skills"] if s in SKILL_POINTS),
            penalties=fallback.penalties,
            engine=self.name,
        )

    def conclude(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn]
    ) -> FinalFeedback:
        # The final feedback quotes the session's own messages; the rules do that reliably.
        return self.rules.conclude(scenario, difficulty, history)
