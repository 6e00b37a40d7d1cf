from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.history_message_role import HistoryMessageRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="HistoryMessage")


@_attrs_define
class HistoryMessage:
    """
    Attributes:
        role (HistoryMessageRole):
        content (str):
        timestamp (datetime.datetime):
        score (int | Unset): Trainee messages: the award
        feedback (str | Unset): Trainee messages: the coach's note
    """

    role: HistoryMessageRole
    content: str
    timestamp: datetime.datetime
    score: int | Unset = UNSET
    feedback: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        content = self.content

        timestamp = self.timestamp.isoformat()

        score = self.score

        feedback = self.feedback

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "role": role,
                "content": content,
                "timestamp": timestamp,
            }
        )
        if score is not UNSET:
            field_dict["score"] = score
        if feedback is not UNSET:
            field_dict["feedback"] = feedback

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = HistoryMessageRole(d.pop("role"))

        content = d.pop("content")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        score = d.pop("score", UNSET)

        feedback = d.pop("feedback", UNSET)

        history_message = cls(
            role=role,
            content=content,
            timestamp=timestamp,
            score=score,
            feedback=feedback,
        )

        history_message.additional_properties = d
        return history_message

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
