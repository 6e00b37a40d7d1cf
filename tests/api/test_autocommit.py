"""roleplay_api.autocommit's compiled statements on PostgreSQL: same rows, same errors as Core."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from roleplay_api import autocommit
from roleplay_api.config import engine_options
from roleplay_api.errors import _is_unavailable
from roleplay_api.models import ChatStateSession
from roleplay_api.services import chat_state

pytestmark = pytest.mark.postgres_only

_t = ChatStateSession.__table__
_INSERT = sa.insert(_t).values(
    session_id=sa.bindparam("session_id", type_=_t.c.session_id.type),
    user_session_id=sa.bindparam("key"),
    chat_state=sa.bindparam("chat_state"),
    last_activity=sa.bindparam("now", type_=_t.c.last_activity.type),
    created_at=sa.bindparam("now", type_=_t.c.created_at.type),
    updated_at=sa.bindparam("now", type_=_t.c.updated_at.type),
    version=1,
)
_EVERYTHING = sa.select(_t).where(_t.c.user_session_id == sa.bindparam("key"))


def insert(app, key):
    params = {"session_id": uuid.uuid4(), "key": key, "chat_state": "{}", "now": datetime.now(UTC)}
    with app.app_context():
        assert autocommit.rowcount(_INSERT, params) == 1
    return params


def test_rows_are_what_core_returns(app):
    insert(app, "same-rows")
    with app.app_context():
        assert autocommit._prepared_for(autocommit.engine(), _EVERYTHING) is not None
        fast = autocommit.first(_EVERYTHING, {"key": "same-rows"})
        with autocommit.engine().connect() as connection:
            core = connection.execute(_EVERYTHING, {"key": "same-rows"}).first()
    assert fast._asdict() == core._asdict()
    assert fast._mapping == dict(core._mapping)
    assert isinstance(fast.session_id, uuid.UUID)
    assert fast.created_at.utcoffset().total_seconds() == 0


def test_datetimes_are_utc_whatever_the_servers_time_zone(make_app, database_url):
    options = engine_options(database_url, {})
    options["connect_args"]["options"] += " -c timezone=Asia/Tokyo"
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=options)
    insert(app, "tokyo")
    with app.app_context():
        with autocommit.engine().connect() as connection:
            assert connection.exec_driver_sql("SHOW timezone").scalar() == "Asia/Tokyo"
        record = chat_state.get_chat_state("tokyo")
    assert record["last_activity"].utcoffset().total_seconds() == 0
    served = app.test_client().get("/chat-state-sessions/tokyo").get_json()
    assert served["last_activity"].endswith("+00:00")


def test_errors_are_sqlalchemys(app):
    params = insert(app, "twice")
    with app.app_context(), pytest.raises(IntegrityError):
        autocommit.rowcount(_INSERT, params)  # the same key again: unique violation


_BACKEND_PID = sa.select(sa.func.pg_backend_pid().label("pid"))


def test_a_dead_connection_is_a_503_then_replaced(app, database_url):
    insert(app, "survivor")
    with app.app_context():
        pid = autocommit.first(_BACKEND_PID, {}).pid  # the pooled connection's server process
        other = sa.create_engine(database_url)
        with other.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.dispose()
        with pytest.raises(OperationalError) as caught:
            autocommit.first(_EVERYTHING, {"key": "survivor"})
        assert caught.value.connection_invalidated
        assert _is_unavailable(caught.value)  # a 503 for the client, as through Core
        row = autocommit.first(_EVERYTHING, {"key": "survivor"})  # a new connection
        assert row.user_session_id == "survivor"
        assert autocommit.first(_BACKEND_PID, {}).pid != pid


def test_expanding_parameters_go_through_core(app):
    stmt = sa.select(_t.c.version).where(_t.c.version.in_(sa.bindparam("v", expanding=True)))
    with app.app_context():
        assert autocommit._prepared_for(autocommit.engine(), stmt) is None
        assert autocommit.all_rows(stmt, {"v": [1, 2]}) is not None
