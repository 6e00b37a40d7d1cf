"""Chat-state endpoints: the chatbot widget's key-value store, at the paths it already calls.

Success bodies have no envelope (the widget reads the record itself); errors use the contract's.
Views build their response from the service's plain dict with the app's orjson provider, which
writes UUIDs and datetimes as the documented schemas would, at a fraction of marshmallow's cost:
the schemas in @blp.response document the shapes.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing import PathConverter

from roleplay_api.api.base import API_KEY_OPTIONAL, Blueprint, no_content, respond
from roleplay_api.schemas.chat_state import (
    ChatStateMergePatchSchema,
    ChatStatePatchQuerySchema,
    ChatStateReadQuerySchema,
    ChatStateRecordSchema,
    ChatStateReplaceSchema,
    ChatStateRestoreSchema,
    ChatStateSchema,
    ChatStateUpsertSchema,
    ChatStateVersionsQuerySchema,
    ChatStateVersionsSchema,
    dump_record,
)
from roleplay_api.services import chat_state as chat_state_service
from roleplay_api.services import chat_state_history as history_service
from roleplay_api.services.chat_state_rules import (
    IF_MATCH_PATTERN,
    MERGE_PATCH_TYPE,
    USER_SESSION_ID_DOC,
    VERSION_MAX,
    check_api_key,
    check_merge_patch_type,
    etag,
)
from roleplay_api.services.chat_state_storage import ChatStateSettings

blp = Blueprint(
    "chat-state",
    __name__,
    url_prefix="/chat-state-sessions",
    description="A chatbot front end's serialized state, keyed by its own session id",
)

_ID = {
    "in": "path",
    "name": "user_session_id",
    "required": True,
    "schema": USER_SESSION_ID_DOC,
    "description": "The client's session id (400 when it does not match the pattern)",
}
_IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string", "pattern": IF_MATCH_PATTERN},
    "example": '"3"',
    "description": 'A strong ETag ("<version>"), a comma-separated list of them, or *; the '
    "write happens only if it matches (412). Not an entity-tag (e.g. an unquoted 3): 400.",
}
_ETAG = {
    "ETag": {"description": 'The record\'s version, "<version>"', "schema": {"type": "string"}}
}


class AnyIdConverter(PathConverter):
    """Any non-empty path tail, newlines and "/" included, so every bad id is a 400, not a 404."""

    regex = "[^/][\\s\\S]*?"
    part_isolating = False


# Registered before the routes below (deferred functions run in order) so they can use it.
blp.record_once(lambda state: state.app.url_map.converters.update(chat_state_id=AnyIdConverter))
# The store's settings, built once per app from its config.
blp.record_once(
    lambda state: state.app.extensions.update(
        chat_state=ChatStateSettings.from_config(state.app.config)
    )
)


def _settings() -> ChatStateSettings:
    return current_app.extensions["chat_state"]


_ONE = "/<chat_state_id:user_session_id>"


def _api_key_errors(view: Any) -> Any:
    view = blp.doc(security=API_KEY_OPTIONAL)(view)
    view = blp.alt_response(401, response="DEFAULT_ERROR", description="X-API-Key missing")(view)
    return blp.alt_response(403, response="DEFAULT_ERROR", description="X-API-Key wrong")(view)


# Sub-resources of a record and the methods they take. The id converter matches "/" too (so a
# bad id is a 400), which would route e.g. PUT .../versions to PUT /{id}, and Flask's automatic
# OPTIONS would list both rules' methods: each answers with its own (405 for the others).
_SUBRESOURCES = {"versions": ["GET", "HEAD", "OPTIONS"], "restore": ["POST", "OPTIONS"]}


@blp.before_request
def answer_subresource_methods() -> Response | None:
    key = (request.view_args or {}).get("user_session_id") or ""
    if "/" in key:  # a sub-resource's path routed to /{id} by a method it does not take
        head, _, tail = key.rpartition("/")
        if "/" in head or tail not in _SUBRESOURCES:
            return None  # a bad id: the view answers 400
    else:
        tail = request.url_rule.rule.rsplit("/", 1)[-1] if request.url_rule is not None else ""
        if tail not in _SUBRESOURCES:
            return None
    allowed = _SUBRESOURCES[tail]
    if request.method == "OPTIONS":
        return Response(status=200, headers={"Allow": ", ".join(allowed)})
    if request.method not in allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    return None


@blp.before_request
def require_api_key() -> None:
    """With CHAT_STATE_API_KEYS set, every chat-state request needs one of them."""
    keys = current_app.config["CHAT_STATE_API_KEYS"]
    if keys and request.method != "OPTIONS":  # CORS preflights carry no custom headers
        check_api_key(request.headers.get("X-API-Key"), keys)


@blp.before_request
def require_merge_patch() -> None:
    """PATCH bodies are merge patches: 415 for any other type, before the body is parsed."""
    if request.method == "PATCH":
        check_merge_patch_type(request.mimetype, request.get_data(cache=True))


def _record_response(record: dict[str, Any], status: int = 200) -> Response:
    """A record as the widget reads it (no envelope), with its version as the ETag."""
    return respond(dump_record(record), status, {"ETag": etag(record["version"])})


@blp.post("")
@blp.arguments(ChatStateUpsertSchema)
@blp.response(201, ChatStateRecordSchema, description="Created", headers=_ETAG)
@blp.alt_response(
    200, schema=ChatStateRecordSchema, description="Updated", headers=_ETAG, success=True
)
@blp.alt_response(412, response="DEFAULT_ERROR", description="If-Match did not match")
@blp.alt_response(413, response="DEFAULT_ERROR", description="chat_state is too large")
@blp.doc(parameters=[_IF_MATCH])
@_api_key_errors
def upsert_chat_state(body: dict[str, Any]) -> Response:
    """Save a chat state: create it (201) or replace it (200)"""
    record, created = chat_state_service.upsert_chat_state(
        body["user_session_id"],
        body["chat_state"],
        body.get("last_activity"),
        if_match=request.headers.get("If-Match"),
        ttl_seconds=body.get("ttl_seconds"),
        settings=_settings(),
    )
    return _record_response(record, 201 if created else 200)


_VERSION = {
    "in": "query",
    "name": "version",
    "required": False,
    "schema": {"type": "integer", "minimum": 1, "maximum": VERSION_MAX},
    "description": "Read this kept version, not the current one (404 when it is not kept)",
}
_read_query = ChatStateReadQuerySchema()


@blp.get(_ONE, parameters=[_ID, _VERSION])
@blp.response(200, ChatStateSchema, headers=_ETAG)
@blp.alt_response(400, response="DEFAULT_ERROR", description="Invalid user_session_id or version")
@blp.alt_response(
    404, response="DEFAULT_ERROR", description="No such chat state (or version), or expired"
)
@_api_key_errors
def get_chat_state(user_session_id: str) -> Response:
    """Read a chat state (or, with ?version=N, one of its kept versions)"""
    # The query is parsed only when there is one: the hot path (no query) skips webargs,
    # a third of a GET's own time. The parameter is documented above.
    version = _read_query.load(request.args).get("version") if request.args else None
    if version is not None:
        found = history_service.get_version(user_session_id, version, settings=_settings())
    else:
        found = chat_state_service.get_chat_state(user_session_id, settings=_settings())
    return _record_response(found)


@blp.put(_ONE, parameters=[_ID])
@blp.arguments(ChatStateReplaceSchema)
@blp.response(200, ChatStateRecordSchema, headers=_ETAG)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such chat state")
@blp.alt_response(412, response="DEFAULT_ERROR", description="If-Match did not match")
@blp.alt_response(413, response="DEFAULT_ERROR", description="chat_state is too large")
@blp.doc(parameters=[_IF_MATCH])
@_api_key_errors
def replace_chat_state(body: dict[str, Any], user_session_id: str) -> Response:
    """Replace an existing chat state"""
    record = chat_state_service.replace_chat_state(
        user_session_id,
        body["chat_state"],
        body.get("last_activity"),
        if_match=request.headers.get("If-Match"),
        ttl_seconds=body.get("ttl_seconds"),
        settings=_settings(),
    )
    return _record_response(record)


@blp.patch(_ONE, parameters=[_ID])
@blp.arguments(ChatStatePatchQuerySchema, location="query", as_kwargs=True)
@blp.arguments(ChatStateMergePatchSchema, content_type=MERGE_PATCH_TYPE)
@blp.response(200, ChatStateRecordSchema, headers=_ETAG)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such chat state")
@blp.alt_response(409, response="DEFAULT_ERROR", description="Too many concurrent writes")
@blp.alt_response(412, response="DEFAULT_ERROR", description="If-Match did not match")
@blp.alt_response(413, response="DEFAULT_ERROR", description="The patched state is too large")
@blp.doc(parameters=[_IF_MATCH])
@_api_key_errors
def patch_chat_state(
    patch: dict[str, Any], user_session_id: str, ttl_seconds: int | None = None
) -> Response:
    """Merge-patch a chat state (RFC 7396: Content-Type application/merge-patch+json)"""
    record = chat_state_service.patch_chat_state(
        user_session_id,
        patch,
        if_match=request.headers.get("If-Match"),
        ttl_seconds=ttl_seconds,
        settings=_settings(),
    )
    return _record_response(record)


@blp.get(_ONE + "/versions", parameters=[_ID])
@blp.arguments(ChatStateVersionsQuerySchema, location="query", as_kwargs=True)
@blp.response(200, ChatStateVersionsSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such chat state")
@_api_key_errors
def list_chat_state_versions(user_session_id: str, limit: int, offset: int) -> Response:
    """List a chat state's kept versions, newest first"""
    found = history_service.list_versions(
        user_session_id, limit=limit, offset=offset, settings=_settings()
    )
    return respond(found)


@blp.post(_ONE + "/restore", parameters=[_ID])
@blp.arguments(ChatStateRestoreSchema)
@blp.response(200, ChatStateRecordSchema, headers=_ETAG)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such chat state or version")
@blp.alt_response(412, response="DEFAULT_ERROR", description="If-Match did not match")
@blp.doc(parameters=[_IF_MATCH])
@_api_key_errors
def restore_chat_state(body: dict[str, Any], user_session_id: str) -> Response:
    """Restore a kept version: a new version whose chat_state is that version's"""
    record = history_service.restore_version(
        user_session_id,
        body["version"],
        last_activity=body.get("last_activity"),
        if_match=request.headers.get("If-Match"),
        ttl_seconds=body.get("ttl_seconds"),
        settings=_settings(),
    )
    return _record_response(record)


@blp.delete(_ONE, parameters=[_ID])
@blp.response(204, description="Deleted")
@blp.alt_response(400, response="DEFAULT_ERROR", description="Invalid user_session_id")
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such chat state")
@blp.alt_response(412, response="DEFAULT_ERROR", description="If-Match did not match")
@blp.doc(parameters=[_IF_MATCH])
@_api_key_errors
def delete_chat_state(user_session_id: str) -> Response:
    """Delete a chat state and its kept versions"""
    chat_state_service.delete_chat_state(user_session_id, if_match=request.headers.get("If-Match"))
    return no_content()
