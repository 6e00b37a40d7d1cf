"""Auth: credentials in, users and tokens out (camelCase, as the front end sends them)."""

from marshmallow import fields, validate

from roleplay_api.schemas.common import BaseSchema, Text, envelope


class RegisterSchema(BaseSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = Text(required=True, validate=validate.Length(min=8, max=128))


class LoginSchema(BaseSchema):
    email = Text(required=True, validate=validate.Length(min=1, max=254))
    password = Text(required=True, validate=validate.Length(min=1, max=128))


class UserSchema(BaseSchema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    created_at = fields.DateTime(data_key="createdAt", required=True)


class AuthResultSchema(BaseSchema):
    user = fields.Nested(UserSchema, required=True)
    access_token = fields.String(data_key="accessToken", required=True)
    refresh_token = fields.String(data_key="refreshToken", required=True)


class AccessTokenSchema(BaseSchema):
    access_token = fields.String(data_key="accessToken", required=True)


class MessageSchema(BaseSchema):
    message = fields.String(required=True)


AuthResultResponse = envelope(AuthResultSchema)
AccessTokenResponse = envelope(AccessTokenSchema)
UserResponse = envelope(UserSchema)
MessageResponse = envelope(MessageSchema)


# Each response's serializer, beside its schema.
dump_auth_result = AuthResultSchema().dump
dump_access_token = AccessTokenSchema().dump
dump_user = UserSchema().dump
dump_message = MessageSchema().dump
