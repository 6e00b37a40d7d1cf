from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatStateUpsert")


@_attrs_define
class ChatStateUpsert:
    """
    Attributes:
        user_session_id (str):
        chat_state (str): The front end's state serialized as JSON text; stored and returned verbatim. At most
            CHAT_STATE_MAX_BYTES bytes of UTF-8 (413 past it). Example: {"messages": [], "currentStep": "language"}.
        last_activity (datetime.datetime | Unset): ISO-8601 with a UTC offset; now when omitted. Example:
            2025-10-02T10:00:00Z.
        ttl_seconds (int | Unset): Seconds until the record expires (404 from then on); the server's
            CHAT_STATE_DEFAULT_TTL_SECONDS when omitted (by default: never). Every write sets it anew. Example: 86400.
    """

    user_session_id: str
    chat_state: str
    last_activity: datetime.datetime | Unset = UNSET
    ttl_seconds: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_session_id = self.user_session_id

        chat_state = self.chat_state

        last_activity: str | Unset = UNSET
        if not isinstance(self.last_activity, Unset):
            last_activity = self.last_activity.isoformat()

        ttl_seconds = self.ttl_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user_session_id": user_session_id,
                "chat_state": chat_state,
            }
        )
        if last_activity is not UNSET:
            field_dict["last_activity"] = last_activity
        if ttl_seconds is not UNSET:
            field_dict["ttl_seconds"] = ttl_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user_session_id = d.pop("user_session_id")

        chat_state = d.pop("chat_state")

        _last_activity = d.pop("last_activity", UNSET)
        last_activity: datetime.datetime | Unset
        if isinstance(_last_activity, Unset):
            last_activity = UNSET
        else:
            last_activity = datetime.datetime.fromisoformat(_last_activity)

        ttl_seconds = d.pop("ttl_seconds", UNSET)

        chat_state_upsert = cls(
            user_session_id=user_session_id,
            chat_state=chat_state,
            last_activity=last_activity,
            ttl_seconds=ttl_seconds,
        )

        chat_state_upsert.additional_properties = d
        return chat_state_upsert

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
