from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.started_session import StartedSession


T = TypeVar("T", bound="StartedSessionResponse")


@_attrs_define
class StartedSessionResponse:
    """
    Attributes:
        success (bool):
        data (StartedSession):
    """

    success: bool
    data: StartedSession

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
        from ..models.started_session import StartedSession  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        data = StartedSession.from_dict(d.pop("data"))

        started_session_response = cls(
            success=success,
            data=data,
        )

        return started_session_response
