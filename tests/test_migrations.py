"""The migrations build the models' schema on every database, from empty to head and back."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from roleplay_api.extensions import db
from tests.conftest import build_app, reset_postgres


def _diff(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        with warnings.catch_warnings():
            # SQLite cannot reflect the DESC index; alembic says so and skips comparing it.
            warnings.filterwarnings("ignore", message=".*expression-based index.*")
            warnings.filterwarnings("ignore", message=".*approximate signature.*")
            return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(app):
    assert _diff(app) == []


def test_upgrade_from_empty_downgrade_and_upgrade_again(backend, tmp_path):
    from tests.conftest import PG_URL

    if backend == "postgresql":
        import sqlalchemy as sa

        url = PG_URL.rsplit("/", 1)[0] + "/postgres"
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            c.execute(sa.text("DROP DATABASE IF EXISTS roleplay_migration_test"))
            c.execute(sa.text("CREATE DATABASE roleplay_migration_test"))
        target = PG_URL.rsplit("/", 1)[0] + "/roleplay_migration_test"
        reset_postgres(target)
    else:
        target = "sqlite:///" + str(tmp_path / "migrate.db")
    app = build_app(target)
    with app.app_context():
        upgrade()
        tables = set(db.inspect(db.engine).get_table_names())
        assert {
            "users",
            "revoked_tokens",
            "scenarios",
            "roleplay_sessions",
            "chat_state_sessions",
            "alembic_version",
        } <= tables
        assert _diff(app) == []
        downgrade(revision="base")
        assert set(db.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()
    if backend == "postgresql":
        with engine.connect() as c:
            c.execute(sa.text("DROP DATABASE roleplay_migration_test"))
        engine.dispose()
