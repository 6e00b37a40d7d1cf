from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.session_detail import SessionDetail


T = TypeVar("T", bound="SessionDetailResponse")


@_attrs_define
class SessionDetailResponse:
    """
    Attributes:
        success (bool):
        data (SessionDetail):
    """

    success: bool
    data: SessionDetail

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
        from ..models.session_detail import SessionDetail  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        data = SessionDetail.from_dict(d.pop("data"))

        session_detail_response = cls(
            success=success,
            data=data,
        )

        return session_detail_response
