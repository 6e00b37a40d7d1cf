"""Helpers shared by the chat-state API tests."""

from roleplay_api.extensions import db
from roleplay_api.models import ChatStateSession

URL = "/chat-state-sessions"
STATE = '{"messages": [], "currentStep": "language"}'
RECORD_KEYS = {
    "session_id",
    "user_session_id",
    "chat_state",
    "last_activity",
    "created_at",
    "updated_at",
    "version",
    "expires_at",
}


def error_of(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    return body["error"]


def save(client, key="session_12345", state=STATE, **extra):
    return client.post(URL, json={"user_session_id": key, "chat_state": state, **extra})


def save_if(client, key, tag, state="[5]"):
    return client.post(
        URL, json={"user_session_id": key, "chat_state": state}, headers={"If-Match": tag}
    )


def stored(app, key):
    with app.app_context():
        db.session.remove()
        return db.session.scalar(
            db.select(ChatStateSession).where(ChatStateSession.user_session_id == key)
        )


def count(app):
    with app.app_context():
        db.session.remove()
        return db.session.scalar(db.select(db.func.count()).select_from(ChatStateSession))


def stored_versions(app, key):
    from roleplay_api.models import ChatStateVersion

    with app.app_context():
        db.session.remove()
        return list(
            db.session.scalars(
                db.select(ChatStateVersion.version)
                .where(ChatStateVersion.user_session_id == key)
                .order_by(ChatStateVersion.version)
            )
        )
