"""Each library internal roleplay_api/internals.py relies on, checked by name.

When an upgrade renames or reshapes one of them, the test named after it fails here.
"""

import inspect

import orjson
import pytest
from flask import Flask
from flask_jwt_extended import JWTManager, get_jwt, jwt_required
from marshmallow import Schema, fields, post_dump, pre_dump
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from roleplay_api.api.base import Api
from roleplay_api.internals import (
    CachingJWTManager,
    Parser,
    has_dump_hooks,
    smorest_api,
    verified_jwt_claims,
)


def test_flask_jwt_extended_decodes_through_the_overridden_method(app, client, register):
    """CachingJWTManager overrides JWTManager._decode_jwt_from_config (same parameters)."""
    ours = inspect.signature(CachingJWTManager._decode_jwt_from_config).parameters
    theirs = inspect.signature(JWTManager._decode_jwt_from_config).parameters
    assert list(ours) == list(theirs)
    user = register()
    assert client.get("/api/auth/me", headers=user["headers"]).status_code == 200
    # The library called the override: the token is in our cache.
    assert app.extensions[CachingJWTManager.CACHE_EXTENSION].get(user["accessToken"]) is not None


def test_flask_jwt_extended_keeps_verified_claims_where_we_read_them(app, register):
    user = register()
    seen = {}

    @jwt_required()
    def view():
        seen["ours"], seen["theirs"] = verified_jwt_claims(), get_jwt()
        return "ok"

    with app.test_request_context(headers=user["headers"]):
        assert verified_jwt_claims() is None  # nothing verified yet
        view()
    assert seen["ours"] == seen["theirs"]
    assert seen["ours"]["sub"] == str(user["user"]["id"])


def test_marshmallow_schemas_list_their_dump_hooks():
    class Plain(Schema):
        a = fields.String()

    class Before(Schema):
        @pre_dump
        def hook(self, data, **kwargs):
            return data

    class After(Schema):
        @post_dump
        def hook(self, data, **kwargs):
            return data

    assert not has_dump_hooks(Plain())
    assert has_dump_hooks(Before())
    assert has_dump_hooks(After())


def test_webargs_reads_json_bodies_through_the_overridden_method():
    assert callable(getattr(FlaskParser, "_raw_load_json", None))
    app = Flask(__name__)
    schema = Schema.from_dict({"n": fields.Float()})()
    with app.test_request_context(
        method="POST", data='{"n": NaN}', content_type="application/json"
    ) as context:
        assert isinstance(FlaskParser()._raw_load_json(context.request), dict)
        with pytest.raises(orjson.JSONDecodeError):  # orjson refuses NaN; the stdlib would not
            Parser()._raw_load_json(context.request)
        with pytest.raises(HTTPException) as caught:
            Parser().parse(schema, location="json")
    assert caught.value.code == 400


def test_a_body_that_is_not_utf8_is_invalid_json_not_an_absent_one():
    app = Flask(__name__)
    schema = Schema.from_dict({"n": fields.Float()})()  # every field optional
    for body in (b"\xff\xfe", b'{"n": 1, "s": "\xe9"}'):
        request = app.test_request_context(
            method="PATCH", data=body, content_type="application/json"
        )
        with request, pytest.raises(HTTPException) as caught:
            Parser().parse(schema, location="json")
        assert caught.value.code == 400


def test_flask_smorest_keeps_its_api_where_we_find_it(app):
    assert isinstance(smorest_api(app), Api)


def test_spec_class_api_sets_the_spec_class(app) -> None:
    from roleplay_api.internals import smorest_api
    from roleplay_api.openapi import ContractSpec

    assert type(smorest_api(app).spec) is ContractSpec
