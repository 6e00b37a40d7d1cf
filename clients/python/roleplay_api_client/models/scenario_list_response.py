from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.scenario_list import ScenarioList


T = TypeVar("T", bound="ScenarioListResponse")


@_attrs_define
class ScenarioListResponse:
    """
    Attributes:
        success (bool):
        data (ScenarioList):
    """

    success: bool
    data: ScenarioList

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "success": success,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scenario_list import ScenarioList  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        data = ScenarioList.from_dict(d.pop("data"))

        scenario_list_response = cls(
            success=success,
            data=data,
        )

        return scenario_list_response
