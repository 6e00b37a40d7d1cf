"""`flask chat-state purge`: deletes only what is idle or expired, in batches, and says how many."""

import uuid
from datetime import UTC, datetime, timedelta

from roleplay_api.extensions import db
from roleplay_api.models import ChatStateSession
from roleplay_api.services.chat_state_maintenance import purge_idle_chat_states


def seed(app, ages_in_days):
    now = datetime.now(UTC)
    with app.app_context():
        for i, age in enumerate(ages_in_days):
            when = now - timedelta(days=age)
            db.session.add(
                ChatStateSession(
                    session_id=uuid.uuid4(),
                    user_session_id=f"s{i}_{age}d",
                    chat_state="{}",
                    last_activity=when,
                    created_at=when,
                    updated_at=when,
                    version=1,
                )
            )
        db.session.commit()


def remaining(app):
    with app.app_context():
        db.session.remove()
        return sorted(db.session.scalars(db.select(ChatStateSession.user_session_id)))


def test_purge_deletes_only_idle_records(app, runner, client):
    seed(app, [0, 1, 6.9, 7.1, 30, 400])
    result = runner.invoke(args=["chat-state", "purge", "--idle-days", "7"])
    assert result.exit_code == 0, result.output
    assert "deleted 3 " in result.output
    assert remaining(app) == ["s0_0d", "s1_1d", "s2_6.9d"]
    # What is left still works through the API.
    assert client.get("/chat-state-sessions/s0_0d").status_code == 200


def test_purge_dry_run_counts_and_changes_nothing(app, runner):
    seed(app, [0, 10, 20])
    result = runner.invoke(args=["chat-state", "purge", "--idle-days", "5", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would delete 2 " in result.output
    assert len(remaining(app)) == 3


def test_purge_of_nothing_and_bad_arguments(app, runner):
    seed(app, [1])
    result = runner.invoke(args=["chat-state", "purge", "--idle-days", "30"])
    assert result.exit_code == 0
    assert "deleted 0 " in result.output
    only_expired = runner.invoke(args=["chat-state", "purge"])  # nothing has expired
    assert only_expired.exit_code == 0, only_expired.output
    assert "deleted 0 expired" in only_expired.output
    assert runner.invoke(args=["chat-state", "purge", "--idle-days", "-1"]).exit_code != 0
    assert runner.invoke(args=["chat-state", "purge", "--idle-days", "x"]).exit_code != 0
    assert len(remaining(app)) == 1


def test_purge_works_in_batches(app):
    seed(app, [40] * 25 + [0] * 3)
    with app.app_context():
        assert purge_idle_chat_states(7, batch_size=4) == 25
    assert len(remaining(app)) == 3


def test_purge_spares_a_record_refreshed_through_the_api(app, client):
    seed(app, [40, 40])
    client.post("/chat-state-sessions", json={"user_session_id": "s0_40d", "chat_state": "[1]"})
    with app.app_context():
        assert purge_idle_chat_states(7) == 1
    assert remaining(app) == ["s0_40d"]
