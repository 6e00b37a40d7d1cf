from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.difficulty import Difficulty

if TYPE_CHECKING:
    from ..models.final_feedback import FinalFeedback
    from ..models.history_message import HistoryMessage


T = TypeVar("T", bound="SessionDetail")


@_attrs_define
class SessionDetail:
    """
    Attributes:
        id (int):
        session_id (str):
        scenario_id (str):
        scenario_title (str):
        difficulty (Difficulty): Requests accept any letter case ("beginner" works); responses are always upper case.
        score (int):
        message_count (int):
        xp_earned (int):
        duration (int):
        created_at (datetime.datetime):
        completed_at (datetime.datetime | None):
        is_active (bool):
        messages (list[HistoryMessage]):
        opening_line (str): The persona's first line, before the trainee's first message
        persona_name (str):
        feedback (FinalFeedback | None):
        max_exchanges (int):
    """

    id: int
    session_id: str
    scenario_id: str
    scenario_title: str
    difficulty: Difficulty
    score: int
    message_count: int
    xp_earned: int
    duration: int
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    is_active: bool
    messages: list[HistoryMessage]
    opening_line: str
    persona_name: str
    feedback: FinalFeedback | None
    max_exchanges: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.final_feedback import FinalFeedback  # noqa: PLC0415

        id = self.id

        session_id = self.session_id

        scenario_id = self.scenario_id

        scenario_title = self.scenario_title

        difficulty = self.difficulty.value

        score = self.score

        message_count = self.message_count

        xp_earned = self.xp_earned

        duration = self.duration

        created_at = self.created_at.isoformat()

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        is_active = self.is_active

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        opening_line = self.opening_line

        persona_name = self.persona_name

        feedback: dict[str, Any] | None
        if isinstance(self.feedback, FinalFeedback):
            feedback = self.feedback.to_dict()
        else:
            feedback = self.feedback

        max_exchanges = self.max_exchanges

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "sessionId": session_id,
                "scenarioId": scenario_id,
                "scenarioTitle": scenario_title,
                "difficulty": difficulty,
                "score": score,
                "messageCount": message_count,
                "xpEarned": xp_earned,
                "duration": duration,
                "createdAt": created_at,
                "completedAt": completed_at,
                "isActive": is_active,
                "messages": messages,
                "openingLine": opening_line,
                "personaName": persona_name,
                "feedback": feedback,
                "maxExchanges": max_exchanges,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.final_feedback import FinalFeedback  # noqa: PLC0415
        from ..models.history_message import HistoryMessage  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        session_id = d.pop("sessionId")

        scenario_id = d.pop("scenarioId")

        scenario_title = d.pop("scenarioTitle")

        difficulty = Difficulty(d.pop("difficulty"))

        score = d.pop("score")

        message_count = d.pop("messageCount")

        xp_earned = d.pop("xpEarned")

        duration = d.pop("duration")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completedAt"))

        is_active = d.pop("isActive")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = HistoryMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        opening_line = d.pop("openingLine")

        persona_name = d.pop("personaName")

        def _parse_feedback(data: object) -> FinalFeedback | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                feedback_type_1 = FinalFeedback.from_dict(data)

                return feedback_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FinalFeedback | None, data)

        feedback = _parse_feedback(d.pop("feedback"))

        max_exchanges = d.pop("maxExchanges")

        session_detail = cls(
            id=id,
            session_id=session_id,
            scenario_id=scenario_id,
            scenario_title=scenario_title,
            difficulty=difficulty,
            score=score,
            message_count=message_count,
            xp_earned=xp_earned,
            duration=duration,
            created_at=created_at,
            completed_at=completed_at,
            is_active=is_active,
            messages=messages,
            opening_line=opening_line,
            persona_name=persona_name,
            feedback=feedback,
            max_exchanges=max_exchanges,
        )

        session_detail.additional_properties = d
        return session_detail

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
