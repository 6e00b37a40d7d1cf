"""Operations endpoints: liveness and readiness."""

from roleplay_api.api.base import Blueprint, respond
from roleplay_api.schemas.ops import StatusSchema, dump_status
from roleplay_api.services import ops as ops_service

blp = Blueprint("operations", __name__, description="Liveness and readiness probes")


@blp.get("/healthz")
@blp.response(200, StatusSchema)
def healthz():
    """Liveness: the process answers; touches no database"""
    return respond(dump_status({"status": "ok"}))


@blp.get("/readyz")
@blp.response(200, StatusSchema)
@blp.alt_response(503, response="DEFAULT_ERROR", description="The database does not answer")
def readyz():
    """Readiness: the database answers"""
    ops_service.check_database()
    return respond(dump_status({"status": "ok"}))
