"""Roleplay training endpoints: scenarios, start, message, sessions list and detail, stats."""

from dataclasses import asdict

from flask_jwt_extended import get_jwt_identity

from roleplay_api.api.base import Blueprint, login_required, ok
from roleplay_api.schemas.roleplay import (
    MessageInSchema,
    MessageResultResponse,
    ScenarioListResponse,
    SessionDetailResponse,
    SessionListResponse,
    SessionQuerySchema,
    StartedSessionResponse,
    StartSessionSchema,
    StatsResponse,
    dump_message_result,
    dump_scenario_list,
    dump_session_detail,
    dump_started,
    dump_stats,
    dump_summary,
)
from roleplay_api.services import roleplay as roleplay_service
from roleplay_api.services import roleplay_history as history_service
from roleplay_api.services import roleplay_message as message_service
from roleplay_api.services import scenarios as scenario_service

blp = Blueprint(
    "roleplay",
    __name__,
    url_prefix="/api/training/roleplay",
    description="Roleplay training: five scored exchanges with a persona",
)


def _user_id() -> int:
    return int(get_jwt_identity())


@blp.get("/scenarios")
@login_required()
@blp.response(200, ScenarioListResponse)
def list_scenarios():
    """The scenario library"""
    return ok(dump_scenario_list({"scenarios": scenario_service.list_scenarios()}))


@blp.post("/start")
@login_required()
@blp.arguments(StartSessionSchema)
@blp.response(201, StartedSessionResponse)
def start_session(body):
    """Start a session (an unknown scenarioId gets the general-purpose persona)"""
    started = roleplay_service.start_session(
        _user_id(), body["scenario_id"], body["scenario_title"], body["difficulty"]
    )
    return ok(dump_started(asdict(started)), 201)


@blp.post("/<session_id>/message")
@login_required()
@blp.arguments(MessageInSchema)
@blp.response(200, MessageResultResponse)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such session of yours")
@blp.alt_response(409, response="DEFAULT_ERROR", description="session_ended, or conflict")
def submit_message(body, session_id):
    """Send the trainee's message; the persona replies and the coach scores it"""
    result = message_service.submit_message(_user_id(), session_id, body["message"])
    return ok(dump_message_result(result))


@blp.get("/sessions")
@login_required()
@blp.arguments(SessionQuerySchema, location="query")
@blp.response(200, SessionListResponse)
def list_sessions(query):
    """The caller's sessions, newest first, with the total that match"""
    page = history_service.list_sessions(_user_id(), **query)
    sessions = [dump_summary(summary) for summary in page.sessions]
    return ok({"sessions": sessions, "total": page.total})


@blp.get("/sessions/<session_id>")
@login_required()
@blp.response(200, SessionDetailResponse)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such session of yours")
def get_session(session_id):
    """One session with its whole message history"""
    return ok(dump_session_detail(history_service.get_session(_user_id(), session_id)))


@blp.get("/stats")
@login_required()
@blp.response(200, StatsResponse)
def get_stats():
    """The caller's progress: totals, by difficulty, by scenario, recent sessions"""
    return ok(dump_stats(history_service.get_stats(_user_id())))
