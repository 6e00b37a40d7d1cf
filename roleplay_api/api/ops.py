"""Operations endpoints: liveness and readiness."""

from marshmallow import Schema, fields

from roleplay_api.api.base import Blueprint
from roleplay_api.services import ops as ops_service

blp = Blueprint("operations", __name__, description="Liveness and readiness probes")


class StatusSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


@blp.get("/healthz")
@blp.response(200, StatusSchema)
def healthz():
    """Liveness: the process answers; touches no database"""
    return {"status": "ok"}


@blp.get("/readyz")
@blp.response(200, StatusSchema)
@blp.alt_response(503, response="DEFAULT_ERROR", description="The database does not answer")
def readyz():
    """Readiness: the database answers"""
    ops_service.check_database()
    return {"status": "ok"}
