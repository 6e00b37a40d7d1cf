"""Roleplay training endpoints: scenarios, start, message, sessions list and detail, stats."""

from dataclasses import asdict
from typing import Any

from flask import Response, current_app
from flask_jwt_extended import get_jwt_identity

from roleplay_api.api.base import Blueprint, login_required
from roleplay_api.schemas.common import plain_dumper
from roleplay_api.schemas.roleplay import (
    MessageInSchema,
    MessageResultResponse,
    ScenarioListResponse,
    SessionDetailResponse,
    SessionListResponse,
    SessionQuerySchema,
    SessionSummarySchema,
    StartedSessionResponse,
    StartedSessionSchema,
    StartSessionSchema,
    StatsResponse,
)
from roleplay_api.services import roleplay as roleplay_service
from roleplay_api.services import roleplay_history as history_service
from roleplay_api.services import scenarios as scenario_service
from roleplay_api.services.roleplay import MessageResult

blp = Blueprint(
    "roleplay",
    __name__,
    url_prefix="/api/training/roleplay",
    description="Roleplay training: five scored exchanges with a persona",
)


# The hot paths (start, message, list) answer without marshmallow's dump: the schemas in
# @blp.response document them, tests hold both outputs equal.
_dump_summary = plain_dumper(SessionSummarySchema())
_dump_started = plain_dumper(StartedSessionSchema())


def _json(data: dict[str, Any], status: int = 200) -> Response:
    response = current_app.json.response({"success": True, "data": data})
    response.status_code = status
    return response


_FINAL_FEEDBACK_KEYS = ("strengths", "improvements", "tips")


def message_result_body(result: MessageResult) -> dict[str, Any]:
    """MessageResultSchema's dump of ``result``: xpEarned and finalFeedback only at the end."""
    body: dict[str, Any] = {
        "response": result.response,
        "feedback": result.feedback,
        "scoreAwarded": result.score_awarded,
        "totalScore": result.total_score,
        "sessionEnded": result.session_ended,
        "exchange": result.exchange,
    }
    if result.xp_earned is not None:
        body["xpEarned"] = result.xp_earned
    final = result.final_feedback
    if final is not None:
        body["finalFeedback"] = {key: list(final[key]) for key in _FINAL_FEEDBACK_KEYS}
    return body


def _user_id() -> int:
    return int(get_jwt_identity())


@blp.get("/scenarios")
@login_required()
@blp.response(200, ScenarioListResponse)
def list_scenarios():
    """The scenario library"""
    return {"data": {"scenarios": scenario_service.list_scenarios()}}


@blp.post("/start")
@login_required()
@blp.arguments(StartSessionSchema)
@blp.response(201, StartedSessionResponse)
def start_session(body):
    """Start a session (an unknown scenarioId gets the general-purpose persona)"""
    started = roleplay_service.start_session(
        _user_id(), body["scenario_id"], body["scenario_title"], body["difficulty"]
    )
    return _json(_dump_started(asdict(started)), 201)


@blp.post("/<session_id>/message")
@login_required()
@blp.arguments(MessageInSchema)
@blp.response(200, MessageResultResponse)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such session of yours")
@blp.alt_response(409, response="DEFAULT_ERROR", description="session_ended, or conflict")
def submit_message(body, session_id):
    """Send the trainee's message; the persona replies and the coach scores it"""
    result = roleplay_service.submit_message(_user_id(), session_id, body["message"])
    return _json(message_result_body(result))


@blp.get("/sessions")
@login_required()
@blp.arguments(SessionQuerySchema, location="query")
@blp.response(200, SessionListResponse)
def list_sessions(query):
    """The caller's sessions, newest first, with the total that match"""
    page = history_service.list_sessions(_user_id(), **query)
    sessions = [_dump_summary(summary) for summary in page.sessions]
    return _json({"sessions": sessions, "total": page.total})


@blp.get("/sessions/<session_id>")
@login_required()
@blp.response(200, SessionDetailResponse)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such session of yours")
def get_session(session_id):
    """One session with its whole message history"""
    return {"data": history_service.get_session(_user_id(), session_id)}


@blp.get("/stats")
@login_required()
@blp.response(200, StatsResponse)
def get_stats():
    """The caller's progress: totals, by difficulty, by scenario, recent sessions"""
    return {"data": history_service.get_stats(_user_id())}
