"""roleplay_api.database: named statements only, and on PostgreSQL its compiled path answers
with the same rows and the same errors as Core."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from roleplay_api import database
from roleplay_api.config import engine_options
from roleplay_api.database import _compiled
from roleplay_api.errors import _is_unavailable
from roleplay_api.models import ChatStateSession
from roleplay_api.services import chat_state
from roleplay_api.services.chat_state_storage import ChatStateSettings

_t = ChatStateSession.__table__
_INSERT = database.statement(
    "test.chat_state_insert",
    sa.insert(_t).values(
        session_id=sa.bindparam("session_id", type_=_t.c.session_id.type),
        user_session_id=sa.bindparam("key"),
        chat_state=sa.bindparam("chat_state"),
        last_activity=sa.bindparam("now", type_=_t.c.last_activity.type),
        created_at=sa.bindparam("now", type_=_t.c.created_at.type),
        updated_at=sa.bindparam("now", type_=_t.c.updated_at.type),
        version=1,
    ),
)
_EVERYTHING = database.statement(
    "test.chat_state_everything", sa.select(_t).where(_t.c.user_session_id == sa.bindparam("key"))
)


def insert(app, key):
    params = {"session_id": uuid.uuid4(), "key": key, "chat_state": "{}", "now": datetime.now(UTC)}
    with app.app_context():
        assert database.rowcount(_INSERT, params) == 1
    return params


@pytest.mark.postgres_only
def test_rows_are_what_core_returns(app):
    insert(app, "same-rows")
    with app.app_context():
        assert _compiled.prepared_for(database.engine(), _EVERYTHING) is not None
        fast = database.first(_EVERYTHING, {"key": "same-rows"})
        with database.engine().connect() as connection:
            core = connection.execute(_EVERYTHING.sql, {"key": "same-rows"}).first()
    assert fast._asdict() == core._asdict()
    assert fast._mapping == dict(core._mapping)
    assert isinstance(fast.session_id, uuid.UUID)
    assert fast.created_at.utcoffset().total_seconds() == 0


@pytest.mark.postgres_only
def test_datetimes_are_utc_whatever_the_servers_time_zone(make_app, database_url):
    options = engine_options(database_url, {})
    options["connect_args"]["options"] += " -c timezone=Asia/Tokyo"
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=options)
    insert(app, "tokyo")
    with app.app_context():
        with database.engine().connect() as connection:
            assert connection.exec_driver_sql("SHOW timezone").scalar() == "Asia/Tokyo"
        record = chat_state.get_chat_state("tokyo", settings=ChatStateSettings())
    assert record["last_activity"].utcoffset().total_seconds() == 0
    served = app.test_client().get("/chat-state-sessions/tokyo").get_json()
    assert served["last_activity"].endswith("+00:00")


@pytest.mark.postgres_only
def test_errors_are_sqlalchemys(app):
    params = insert(app, "twice")
    with app.app_context(), pytest.raises(IntegrityError):
        database.rowcount(_INSERT, params)  # the same key again: unique violation


_BACKEND_PID = database.statement(
    "test.backend_pid", sa.select(sa.func.pg_backend_pid().label("pid"))
)


@pytest.mark.postgres_only
def test_a_dead_connection_is_a_503_then_replaced(make_app, database_url):
    app = make_app()  # its own pool, holding the one connection this test uses
    insert(app, "survivor")
    with app.app_context():
        pid = database.first(_BACKEND_PID, {}).pid  # the pooled connection's server process
        other = sa.create_engine(database_url)
        with other.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.dispose()
        with pytest.raises(OperationalError) as caught:
            database.first(_EVERYTHING, {"key": "survivor"})
        assert caught.value.connection_invalidated
        assert _is_unavailable(caught.value)  # a 503 for the client, as through Core
        row = database.first(_EVERYTHING, {"key": "survivor"})  # a new connection
        assert row.user_session_id == "survivor"
        assert database.first(_BACKEND_PID, {}).pid != pid


_VERSIONS_IN = database.statement(
    "test.versions_in",
    sa.select(_t.c.version).where(_t.c.version.in_(sa.bindparam("v", expanding=True))),
)


@pytest.mark.postgres_only
def test_expanding_parameters_go_through_core(app):
    with app.app_context():
        assert _compiled.prepared_for(database.engine(), _VERSIONS_IN) is None
        assert database.all_rows(_VERSIONS_IN, {"v": [1, 2]}) is not None


# ---- statements are built once: what a per-request statement would do is refused ----------


def test_a_statement_built_per_request_is_refused(app):
    built_now = sa.select(_t.c.version).where(_t.c.user_session_id == "per-request")
    with app.app_context():
        for run in (database.first, database.all_rows, database.rowcount):
            with pytest.raises(database.StatementError, match="named Statement"):
                run(built_now, {})


def test_a_name_is_defined_once(app):
    with pytest.raises(database.StatementError, match="already defined"):
        database.statement("test.chat_state_everything", sa.select(_t.c.version))


def test_the_number_of_statements_is_bounded():
    """Naming a fresh statement per request runs into the bound instead of growing the cache."""
    registry = database.Registry(limit=3)
    for n in range(3):
        registry.define(f"per-request.{n}", sa.select(_t.c.version))
    with pytest.raises(database.StatementError, match="built per request"):
        registry.define("per-request.3", sa.select(_t.c.version))
    assert len(database.statement_names()) < database.MAX_STATEMENTS / 2  # room to grow


def test_the_compiled_cache_holds_one_entry_per_statement(app, backend):
    insert(app, "cached")
    with app.app_context():
        for _ in range(50):
            database.first(_EVERYTHING, {"key": "cached"})
        cache = _compiled._prepared.get(database.engine(), {})
    if backend == "postgresql":
        assert set(cache) <= database.statement_names()
        assert "test.chat_state_everything" in cache
    else:
        assert cache == {}  # SQLite: Core runs it, with SQLAlchemy's own bounded cache
