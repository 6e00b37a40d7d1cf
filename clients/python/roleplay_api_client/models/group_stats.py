from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GroupStats")


@_attrs_define
class GroupStats:
    """
    Attributes:
        sessions (int):
        completed (int):
        total_xp (int):
        average_score (float | None):
        best_score (int | None):
    """

    sessions: int
    completed: int
    total_xp: int
    average_score: float | None
    best_score: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sessions = self.sessions

        completed = self.completed

        total_xp = self.total_xp

        average_score: float | None
        average_score = self.average_score

        best_score: int | None
        best_score = self.best_score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sessions": sessions,
                "completed": completed,
                "totalXp": total_xp,
                "averageScore": average_score,
                "bestScore": best_score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sessions = d.pop("sessions")

        completed = d.pop("completed")

        total_xp = d.pop("totalXp")

        def _parse_average_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_score = _parse_average_score(d.pop("averageScore"))

        def _parse_best_score(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        best_score = _parse_best_score(d.pop("bestScore"))

        group_stats = cls(
            sessions=sessions,
            completed=completed,
            total_xp=total_xp,
            average_score=average_score,
            best_score=best_score,
        )

        group_stats.additional_properties = d
        return group_stats

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
