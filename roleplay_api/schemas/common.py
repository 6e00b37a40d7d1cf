"""Building blocks shared by every resource's schemas: strict strings, envelopes, errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, missing, validate

from roleplay_api.internals import has_dump_hooks


class BaseSchema(Schema):
    class Meta:
        # Front ends that already exist may send fields we do not know; ignore them.
        unknown = EXCLUDE


class Text(fields.String):
    """A string that refuses NUL characters, which PostgreSQL cannot store in text or JSONB."""

    # Said in the OpenAPI document too, so clients (and the fuzzer) know NUL is not valid input.
    NO_NUL = "^[^\\x00]*$"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A Regexp validator exports its own (stricter) pattern; do not override it.
        if not any(isinstance(v, validate.Regexp) for v in self.validators):
            self.metadata = {"pattern": self.NO_NUL} | dict(self.metadata)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        result = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in result:
            raise ValidationError("Must not contain NUL characters.")
        return result


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"example": "validation_error"})
    message = fields.String(required=True)
    details = fields.Dict(
        keys=fields.String(), metadata={"description": "Per-field messages, when known"}
    )


class ErrorSchema(Schema):
    success = fields.Boolean(required=True, metadata={"example": False})
    error = fields.Nested(ErrorDetailSchema, required=True)


_envelopes: dict[type[Schema], type[Schema]] = {}


def envelope(data_schema: type[Schema]) -> type[Schema]:
    """``{"success": true, "data": <data_schema>}``, named after the data schema in OpenAPI."""
    if data_schema not in _envelopes:
        name = data_schema.__name__.removesuffix("Schema") + "ResponseSchema"
        _envelopes[data_schema] = type(
            name,
            (Schema,),
            {
                "success": fields.Boolean(required=True, dump_default=True),
                "data": fields.Nested(data_schema, required=True),
            },
        )
    return _envelopes[data_schema]


_PLAIN_FIELDS = (fields.String, fields.Integer, fields.Boolean, fields.DateTime)


def plain_dumper(schema: Schema) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """``schema.dump`` for a flat schema of plain fields, without marshmallow's per-field work.

    For hot responses built from typed database rows, whose values already are what the fields
    would make of them: the dumper only renames keys (attribute -> data_key) and leaves datetimes
    for the app's orjson provider, which writes them as marshmallow's ISO format would. The schema
    still documents the response; tests hold the two outputs equal.
    """
    if has_dump_hooks(schema):
        raise TypeError(f"{type(schema).__name__} has dump hooks; use schema.dump")
    pairs = []
    for name, field in schema.dump_fields.items():
        if type(field) not in _PLAIN_FIELDS and not isinstance(field, Text):
            raise TypeError(f"{type(schema).__name__}.{name}: not a plain field")
        # What marshmallow would change on the way out, the dumper would not: refuse it.
        if getattr(field, "format", None) not in (None, "iso"):
            raise TypeError(f"{type(schema).__name__}.{name}: a custom datetime format")
        if field.dump_default is not missing:
            raise TypeError(f"{type(schema).__name__}.{name}: a dump_default")
        pairs.append((field.data_key or name, field.attribute or name))

    def dump(obj: Mapping[str, Any]) -> dict[str, Any]:
        return {key: obj[attribute] for key, attribute in pairs}

    return dump
