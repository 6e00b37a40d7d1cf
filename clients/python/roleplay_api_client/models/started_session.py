from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.difficulty import Difficulty

T = TypeVar("T", bound="StartedSession")


@_attrs_define
class StartedSession:
    """
    Attributes:
        session_id (str):
        scenario_id (str):
        scenario_title (str):
        difficulty (Difficulty): Requests accept any letter case ("beginner" works); responses are always upper case.
        opening_line (str):
        persona_name (str):
        score (int):
        max_exchanges (int):
        is_active (bool):
        created_at (datetime.datetime):
    """

    session_id: str
    scenario_id: str
    scenario_title: str
    difficulty: Difficulty
    opening_line: str
    persona_name: str
    score: int
    max_exchanges: int
    is_active: bool
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        scenario_id = self.scenario_id

        scenario_title = self.scenario_title

        difficulty = self.difficulty.value

        opening_line = self.opening_line

        persona_name = self.persona_name

        score = self.score

        max_exchanges = self.max_exchanges

        is_active = self.is_active

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sessionId": session_id,
                "scenarioId": scenario_id,
                "scenarioTitle": scenario_title,
                "difficulty": difficulty,
                "openingLine": opening_line,
                "personaName": persona_name,
                "score": score,
                "maxExchanges": max_exchanges,
                "isActive": is_active,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("sessionId")

        scenario_id = d.pop("scenarioId")

        scenario_title = d.pop("scenarioTitle")

        difficulty = Difficulty(d.pop("difficulty"))

        opening_line = d.pop("openingLine")

        persona_name = d.pop("personaName")

        score = d.pop("score")

        max_exchanges = d.pop("maxExchanges")

        is_active = d.pop("isActive")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        started_session = cls(
            session_id=session_id,
            scenario_id=scenario_id,
            scenario_title=scenario_title,
            difficulty=difficulty,
            opening_line=opening_line,
            persona_name=persona_name,
            score=score,
            max_exchanges=max_exchanges,
            is_active=is_active,
            created_at=created_at,
        )

        started_session.additional_properties = d
        return started_session

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
