from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.auth_result import AuthResult


T = TypeVar("T", bound="AuthResultResponse")


@_attrs_define
class AuthResultResponse:
    """
    Attributes:
        success (bool):
        data (AuthResult):
    """

    success: bool
    data: AuthResult

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
        from ..models.auth_result import AuthResult  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        data = AuthResult.from_dict(d.pop("data"))

        auth_result_response = cls(
            success=success,
            data=data,
        )

        return auth_result_response
