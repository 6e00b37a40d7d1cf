"""Every use of a library's private internals, in one module.

Each is something the public API does not offer at the cost we need. tests/unit/
test_internals.py exercises every one of them, so an upgrade that moves one fails there, by
name, rather than somewhere downstream.
"""

from __future__ import annotations

import json
from typing import Any

import flask
import flask_smorest
import orjson
from flask import Flask, current_app, g
from flask_jwt_extended import JWTManager
from flask_jwt_extended.config import config as jwt_config
from marshmallow import Schema
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from roleplay_api.jwt_cache import VerifiedTokenCache

# ---- flask-jwt-extended ---------------------------------------------------------------------


class CachingJWTManager(JWTManager):
    """flask-jwt-extended's manager, verifying each distinct token once (VerifiedTokenCache).

    Only the plain case is cached: a CSRF value, or a caller allowing expired tokens, takes
    the library's own path every time.
    """

    CACHE_EXTENSION = "jwt_verified_tokens"

    def init_app(self, app: Flask, add_context_processor: bool = False) -> None:
        super().init_app(app, add_context_processor)
        app.extensions[self.CACHE_EXTENSION] = VerifiedTokenCache()

    def _decode_jwt_from_config(
        self, encoded_token: str, csrf_value: Any = None, allow_expired: bool = False
    ) -> dict[str, Any]:
        if csrf_value or allow_expired:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        cache: VerifiedTokenCache = current_app.extensions[self.CACHE_EXTENSION]
        claims = cache.get(encoded_token)
        if claims is None:
            claims = super()._decode_jwt_from_config(encoded_token)
            cache.put(encoded_token, claims, jwt_config.leeway)
        return claims


def verified_jwt_claims() -> dict[str, Any] | None:
    """The claims of the token this request verified, or None.

    flask-jwt-extended keeps them in ``g._jwt_extended_jwt`` only once signature, expiry and
    revocation have passed; get_jwt() reads the same but raises without one, and this runs on
    every request, most of them without a token.
    """
    return g.get("_jwt_extended_jwt")


# ---- marshmallow ----------------------------------------------------------------------------


def has_dump_hooks(schema: Schema) -> bool:
    """Whether ``schema`` has pre_dump or post_dump hooks (no public way to ask)."""
    return bool(schema._hooks.get("pre_dump") or schema._hooks.get("post_dump"))


# ---- webargs --------------------------------------------------------------------------------


class Parser(FlaskParser):
    """webargs' Flask parser, answering 400 (not 422) and parsing JSON strictly with orjson.

    orjson rejects NaN, lone surrogates and nesting past 1024 levels with a JSONDecodeError
    (so deeply nested bodies cost bounded CPU and become a 400, not a RecursionError).
    """

    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as error:
            # webargs reads an error whose ``doc`` is empty as "no body" (missing); orjson
            # leaves ``doc`` empty when the bytes are not UTF-8, so such a body passed as
            # absent (a PATCH as the empty patch). Name the bytes: it is invalid JSON (400).
            if data and not error.doc:
                doc = data.decode("utf-8", "replace")
                raise json.JSONDecodeError(error.msg, doc, error.pos) from error
            raise


# ---- flask-smorest --------------------------------------------------------------------------


class SpecClassApi(flask_smorest.Api):
    """flask-smorest's Api whose spec is an instance of SPEC_CLASS (an APISpec subclass).

    flask-smorest builds a plain APISpec in its private ``_init_spec`` and offers no way to
    choose the class.
    """

    SPEC_CLASS: type | None = None

    def _init_spec(self, **kwargs: Any) -> None:
        super()._init_spec(**kwargs)
        if self.SPEC_CLASS is not None:
            self.spec.__class__ = self.SPEC_CLASS


def smorest_api(app: Flask) -> Any:
    """The app's flask-smorest Api (the one registered without a config prefix)."""
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
