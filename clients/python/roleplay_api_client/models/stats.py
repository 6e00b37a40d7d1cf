from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.session_summary import SessionSummary
    from ..models.stats_by_difficulty import StatsByDifficulty
    from ..models.stats_by_scenario import StatsByScenario


T = TypeVar("T", bound="Stats")


@_attrs_define
class Stats:
    """
    Attributes:
        total_sessions (int):
        completed_sessions (int):
        total_xp (int):
        average_score (float | None): Over completed sessions; null before the first one
        best_score (int | None):
        recent (list[SessionSummary]):
        by_difficulty (StatsByDifficulty | Unset):
        by_scenario (StatsByScenario | Unset):
    """

    total_sessions: int
    completed_sessions: int
    total_xp: int
    average_score: float | None
    best_score: int | None
    recent: list[SessionSummary]
    by_difficulty: StatsByDifficulty | Unset = UNSET
    by_scenario: StatsByScenario | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_sessions = self.total_sessions

        completed_sessions = self.completed_sessions

        total_xp = self.total_xp

        average_score: float | None
        average_score = self.average_score

        best_score: int | None
        best_score = self.best_score

        recent = []
        for recent_item_data in self.recent:
            recent_item = recent_item_data.to_dict()
            recent.append(recent_item)

        by_difficulty: dict[str, Any] | Unset = UNSET
        if not isinstance(self.by_difficulty, Unset):
            by_difficulty = self.by_difficulty.to_dict()

        by_scenario: dict[str, Any] | Unset = UNSET
        if not isinstance(self.by_scenario, Unset):
            by_scenario = self.by_scenario.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "totalSessions": total_sessions,
                "completedSessions": completed_sessions,
                "totalXp": total_xp,
                "averageScore": average_score,
                "bestScore": best_score,
                "recent": recent,
            }
        )
        if by_difficulty is not UNSET:
            field_dict["byDifficulty"] = by_difficulty
        if by_scenario is not UNSET:
            field_dict["byScenario"] = by_scenario

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.session_summary import SessionSummary  # noqa: PLC0415
        from ..models.stats_by_difficulty import StatsByDifficulty  # noqa: PLC0415
        from ..models.stats_by_scenario import StatsByScenario  # noqa: PLC0415

        d = dict(src_dict)
        total_sessions = d.pop("totalSessions")

        completed_sessions = d.pop("completedSessions")

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

        recent = []
        _recent = d.pop("recent")
        for recent_item_data in _recent:
            recent_item = SessionSummary.from_dict(recent_item_data)

            recent.append(recent_item)

        _by_difficulty = d.pop("byDifficulty", UNSET)
        by_difficulty: StatsByDifficulty | Unset
        if isinstance(_by_difficulty, Unset):
            by_difficulty = UNSET
        else:
            by_difficulty = StatsByDifficulty.from_dict(_by_difficulty)

        _by_scenario = d.pop("byScenario", UNSET)
        by_scenario: StatsByScenario | Unset
        if isinstance(_by_scenario, Unset):
            by_scenario = UNSET
        else:
            by_scenario = StatsByScenario.from_dict(_by_scenario)

        stats = cls(
            total_sessions=total_sessions,
            completed_sessions=completed_sessions,
            total_xp=total_xp,
            average_score=average_score,
            best_score=best_score,
            recent=recent,
            by_difficulty=by_difficulty,
            by_scenario=by_scenario,
        )

        stats.additional_properties = d
        return stats

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
