from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.message_result import MessageResult


T = TypeVar("T", bound="MessageResultResponse")


@_attrs_define
class MessageResultResponse:
    """
    Attributes:
        success (bool):
        data (MessageResult):
    """

    success: bool
    data: MessageResult

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
        from ..models.message_result import MessageResult  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        data = MessageResult.from_dict(d.pop("data"))

        message_result_response = cls(
            success=success,
            data=data,
        )

        return message_result_response
