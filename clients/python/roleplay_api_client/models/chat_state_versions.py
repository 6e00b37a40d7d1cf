from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.chat_state_version import ChatStateVersion


T = TypeVar("T", bound="ChatStateVersions")


@_attrs_define
class ChatStateVersions:
    """
    Attributes:
        user_session_id (str):
        version (int): The current version
        versions (list[ChatStateVersion]):
        total (int): Kept versions in all
    """

    user_session_id: str
    version: int
    versions: list[ChatStateVersion]
    total: int

    def to_dict(self) -> dict[str, Any]:
        user_session_id = self.user_session_id

        version = self.version

        versions = []
        for versions_item_data in self.versions:
            versions_item = versions_item_data.to_dict()
            versions.append(versions_item)

        total = self.total

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "user_session_id": user_session_id,
                "version": version,
                "versions": versions,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_state_version import ChatStateVersion  # noqa: PLC0415

        d = dict(src_dict)
        user_session_id = d.pop("user_session_id")

        version = d.pop("version")

        versions = []
        _versions = d.pop("versions")
        for versions_item_data in _versions:
            versions_item = ChatStateVersion.from_dict(versions_item_data)

            versions.append(versions_item)

        total = d.pop("total")

        chat_state_versions = cls(
            user_session_id=user_session_id,
            version=version,
            versions=versions,
            total=total,
        )

        return chat_state_versions
