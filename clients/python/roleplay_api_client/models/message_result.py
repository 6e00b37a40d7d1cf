from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.final_feedback import FinalFeedback


T = TypeVar("T", bound="MessageResult")


@_attrs_define
class MessageResult:
    """
    Attributes:
        response (str):
        feedback (str):
        score_awarded (int):
        total_score (int):
        session_ended (bool):
        exchange (int): 1..maxExchanges
        xp_earned (int | Unset): Only on the message that ends it
        final_feedback (FinalFeedback | Unset):
    """

    response: str
    feedback: str
    score_awarded: int
    total_score: int
    session_ended: bool
    exchange: int
    xp_earned: int | Unset = UNSET
    final_feedback: FinalFeedback | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        response = self.response

        feedback = self.feedback

        score_awarded = self.score_awarded

        total_score = self.total_score

        session_ended = self.session_ended

        exchange = self.exchange

        xp_earned = self.xp_earned

        final_feedback: dict[str, Any] | Unset = UNSET
        if not isinstance(self.final_feedback, Unset):
            final_feedback = self.final_feedback.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "response": response,
                "feedback": feedback,
                "scoreAwarded": score_awarded,
                "totalScore": total_score,
                "sessionEnded": session_ended,
                "exchange": exchange,
            }
        )
        if xp_earned is not UNSET:
            field_dict["xpEarned"] = xp_earned
        if final_feedback is not UNSET:
            field_dict["finalFeedback"] = final_feedback

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.final_feedback import FinalFeedback  # noqa: PLC0415

        d = dict(src_dict)
        response = d.pop("response")

        feedback = d.pop("feedback")

        score_awarded = d.pop("scoreAwarded")

        total_score = d.pop("totalScore")

        session_ended = d.pop("sessionEnded")

        exchange = d.pop("exchange")

        xp_earned = d.pop("xpEarned", UNSET)

        _final_feedback = d.pop("finalFeedback", UNSET)
        final_feedback: FinalFeedback | Unset
        if isinstance(_final_feedback, Unset):
            final_feedback = UNSET
        else:
            final_feedback = FinalFeedback.from_dict(_final_feedback)

        message_result = cls(
            response=response,
            feedback=feedback,
            score_awarded=score_awarded,
            total_score=total_score,
            session_ended=session_ended,
            exchange=exchange,
            xp_earned=xp_earned,
            final_feedback=final_feedback,
        )

        message_result.additional_properties = d
        return message_result

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
