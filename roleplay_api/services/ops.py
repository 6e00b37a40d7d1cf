"""Operational checks."""

import sqlalchemy as sa

from roleplay_api.errors import Unavailable
from roleplay_api.extensions import db


def check_database() -> None:
    try:
        db.session.execute(sa.text("SELECT 1"))
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        raise Unavailable("The database does not answer") from None
