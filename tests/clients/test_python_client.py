"""The generated Python client drives the README's flows against a live server.

werkzeug's threaded server on a free loopback port serves the test's app (SQLite, and
PostgreSQL when TEST_DATABASE_URL answers); every call goes over HTTP through
clients/python/roleplay_api_client, decoding into its models.
"""

from __future__ import annotations

import json

import pytest
from roleplay_api_client import AuthenticatedClient, Client
from roleplay_api_client.api.auth import get_current_user, login_user, register_user
from roleplay_api_client.api.chat_state import (
    delete_chat_state,
    get_chat_state,
    replace_chat_state,
    save_chat_state,
)
from roleplay_api_client.api.roleplay import (
    get_roleplay_session,
    list_roleplay_sessions,
    send_roleplay_message,
    start_roleplay_session,
)
from roleplay_api_client.models import (
    ChatStateRecord,
    ChatStateReplace,
    ChatStateUpsert,
    Difficulty,
    Error,
    FinalFeedback,
    Login,
    MessageIn,
    Register,
    StartSession,
)

from roleplay_api.services.scenarios import seed_scenarios
from tests.live_server import serve

MESSAGES = [
    "Hi, I'm Sam from SunBright. I hear the price worries you: what would it need to cover?",
    "What is your electricity bill costing you each month right now?",
    "If the panels cut that by half, the payment is lower than what you pay today.",
    "Would it help to see the numbers side by side for your own roof?",
    "Can we book a 20-minute visit on Thursday to measure and give you a fixed price?",
]


@pytest.fixture
def base_url(app):
    with app.app_context():
        seed_scenarios()
    with serve(app) as url:
        yield url


def test_roleplay_walkthrough_through_the_generated_client(base_url):
    with Client(base_url=base_url, raise_on_unexpected_status=True) as anonymous:
        credentials = {"email": "client@example.com", "password": "correct horse"}
        registered = register_user.sync_detailed(client=anonymous, body=Register(**credentials))
        assert registered.status_code == 201
        again = register_user.sync_detailed(client=anonymous, body=Register(**credentials))
        assert again.status_code == 409
        assert isinstance(again.parsed, Error) and again.parsed.error.code == "email_taken"
        logged_in = login_user.sync(client=anonymous, body=Login(**credentials))
    token = logged_in.data.access_token

    with AuthenticatedClient(
        base_url=base_url, token=token, raise_on_unexpected_status=True
    ) as api:
        assert get_current_user.sync(client=api).data.email == credentials["email"]
        started = start_roleplay_session.sync(
            client=api,
            body=StartSession(
                scenario_id="homeowner_objection",
                scenario_title="The price is too high",
                difficulty=Difficulty.PRO,
            ),
        ).data
        assert started.difficulty == Difficulty.PRO and started.opening_line
        results = [
            send_roleplay_message.sync(
                started.session_id, client=api, body=MessageIn(message=text)
            ).data
            for text in MESSAGES
        ]
        assert [r.exchange for r in results] == [1, 2, 3, 4, 5]
        assert results[-1].session_ended and isinstance(results[-1].final_feedback, FinalFeedback)
        sixth = send_roleplay_message.sync_detailed(
            started.session_id, client=api, body=MessageIn(message="One more?")
        )
        assert sixth.status_code == 409 and sixth.parsed.error.code == "session_ended"

        detail = get_roleplay_session.sync(started.session_id, client=api).data
        assert len(detail.messages) == 10 and not detail.is_active
        assert isinstance(detail.feedback, FinalFeedback)  # not a generic dict
        assert detail.feedback.tips == results[-1].final_feedback.tips
        assert detail.opening_line == started.opening_line
        assert detail.persona_name == started.persona_name
        assert detail.xp_earned == results[-1].xp_earned

        listed = list_roleplay_sessions.sync(client=api, limit=10, offset=0).data
        assert listed.total == 1 and listed.sessions[0].session_id == started.session_id

        missing = get_roleplay_session.sync_detailed("session_" + "x" * 22, client=api)
        assert missing.status_code == 404 and missing.parsed.error.code == "not_found"


def test_chat_state_crud_with_etags_through_the_generated_client(base_url):
    # An open store needs no credentials; with CHAT_STATE_API_KEYS the same client would be
    # AuthenticatedClient(token=key, prefix="", auth_header_name="X-API-Key").
    with AuthenticatedClient(
        base_url=base_url, token="", prefix="", auth_header_name="X-Unused"
    ) as api:
        state = json.dumps({"messages": [], "currentStep": "language"})
        created = save_chat_state.sync_detailed(
            client=api, body=ChatStateUpsert(user_session_id="widget-1", chat_state=state)
        )
        assert created.status_code == 201 and isinstance(created.parsed, ChatStateRecord)
        assert created.headers["ETag"] == '"1"' and created.parsed.version == 1

        read = get_chat_state.sync_detailed("widget-1", client=api)
        assert read.parsed.chat_state == state and read.headers["ETag"] == '"1"'

        new_state = json.dumps({"messages": ["hi"], "currentStep": "gender"})
        replaced = replace_chat_state.sync_detailed(
            "widget-1", client=api, body=ChatStateReplace(chat_state=new_state), if_match='"1"'
        )
        assert replaced.status_code == 200 and replaced.parsed.version == 2

        stale = replace_chat_state.sync_detailed(
            "widget-1", client=api, body=ChatStateReplace(chat_state=state), if_match='"1"'
        )
        assert stale.status_code == 412 and isinstance(stale.parsed, Error)
        assert stale.headers["ETag"] == '"2"'
        assert stale.parsed.error.code == "precondition_failed"

        malformed = delete_chat_state.sync_detailed("widget-1", client=api, if_match="2")
        assert malformed.status_code == 400

        stale_delete = delete_chat_state.sync_detailed("widget-1", client=api, if_match='"1"')
        assert stale_delete.status_code == 412
        deleted = delete_chat_state.sync_detailed("widget-1", client=api, if_match='"2"')
        assert deleted.status_code == 204 and "content-type" not in deleted.headers
        gone = get_chat_state.sync_detailed("widget-1", client=api)
        assert gone.status_code == 404 and gone.parsed.error.code == "not_found"
