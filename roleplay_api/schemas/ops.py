"""Operations: the probes' status body."""

from marshmallow import Schema, fields


class StatusSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


dump_status = StatusSchema().dump
