from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ChatStateVersion")


@_attrs_define
class ChatStateVersion:
    """
    Attributes:
        version (int):
        last_activity (datetime.datetime):
        updated_at (datetime.datetime):
        size (int): Bytes of chat_state (UTF-8)
    """

    version: int
    last_activity: datetime.datetime
    updated_at: datetime.datetime
    size: int

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        last_activity = self.last_activity.isoformat()

        updated_at = self.updated_at.isoformat()

        size = self.size

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "last_activity": last_activity,
                "updated_at": updated_at,
                "size": size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version = d.pop("version")

        last_activity = datetime.datetime.fromisoformat(d.pop("last_activity"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        size = d.pop("size")

        chat_state_version = cls(
            version=version,
            last_activity=last_activity,
            updated_at=updated_at,
            size=size,
        )

        return chat_state_version
