"""Operational checks."""

import sqlalchemy as sa

from roleplay_api import database
from roleplay_api.errors import Unavailable

_PING = database.statement("ops.ping", sa.select(sa.literal(1).label("ok")))


def check_database() -> None:
    """The database answers a statement run the way every request's statements are."""
    try:
        database.first(_PING, {})
    except sa.exc.SQLAlchemyError:
        raise Unavailable("The database does not answer") from None
