from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.difficulty import Difficulty

T = TypeVar("T", bound="StartSession")


@_attrs_define
class StartSession:
    """
    Attributes:
        scenario_id (str):
        scenario_title (str):
        difficulty (Difficulty): Requests accept any letter case ("beginner" works); responses are always upper case.
    """

    scenario_id: str
    scenario_title: str
    difficulty: Difficulty
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scenario_id = self.scenario_id

        scenario_title = self.scenario_title

        difficulty = self.difficulty.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "scenarioId": scenario_id,
                "scenarioTitle": scenario_title,
                "difficulty": difficulty,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scenario_id = d.pop("scenarioId")

        scenario_title = d.pop("scenarioTitle")

        difficulty = Difficulty(d.pop("difficulty"))

        start_session = cls(
            scenario_id=scenario_id,
            scenario_title=scenario_title,
            difficulty=difficulty,
        )

        start_session.additional_properties = d
        return start_session

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
