"""Auth endpoints: register, login, refresh, logout, me."""

from flask_jwt_extended import JWTManager, get_jwt, get_jwt_identity

from roleplay_api.api.base import Blueprint, login_required, ok
from roleplay_api.errors import error_response
from roleplay_api.schemas.auth import (
    AccessTokenResponse,
    AuthResultResponse,
    LoginSchema,
    MessageResponse,
    RegisterSchema,
    UserResponse,
    dump_access_token,
    dump_auth_result,
    dump_message,
    dump_user,
)
from roleplay_api.services import auth as auth_service

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts and tokens")


@blp.post("/register")
@blp.arguments(RegisterSchema)
@blp.response(201, AuthResultResponse)
@blp.alt_response(409, response="DEFAULT_ERROR", description="Email already registered")
def register(body):
    """Create an account and sign in"""
    return ok(dump_auth_result(auth_service.register(body["email"], body["password"])), 201)


@blp.post("/login")
@blp.arguments(LoginSchema)
@blp.response(200, AuthResultResponse)
@blp.alt_response(401, response="DEFAULT_ERROR", description="Wrong email or password")
def login(body):
    """Sign in with email and password"""
    return ok(dump_auth_result(auth_service.login(body["email"], body["password"])))


@blp.post("/refresh")
@login_required(refresh=True)
@blp.response(200, AccessTokenResponse)
def refresh():
    """Trade a refresh token for a new access token"""
    user_id = int(get_jwt_identity())
    return ok(dump_access_token({"access_token": auth_service.refresh_access_token(user_id)}))


@blp.post("/logout")
@login_required(verify_type=False)
@blp.response(200, MessageResponse)
def logout():
    """Revoke the presented token (access or refresh)"""
    auth_service.revoke_token(get_jwt())
    return ok(dump_message({"message": "Token revoked"}))


@blp.get("/me")
@login_required()
@blp.response(200, UserResponse)
def me():
    """The signed-in user"""
    return ok(dump_user(auth_service.get_user(int(get_jwt_identity()))))


def configure_jwt(jwt: JWTManager) -> None:
    """Every flask-jwt-extended failure becomes a 401 in the contract's envelope (never its 422)."""

    def unauthorized(message: str):
        return error_response(401, "unauthorized", message)

    jwt.unauthorized_loader(
        lambda reason: unauthorized("Missing or malformed Authorization header")
    )
    jwt.invalid_token_loader(lambda reason: unauthorized("Invalid token"))
    jwt.expired_token_loader(lambda header, payload: unauthorized("Token has expired"))
    jwt.revoked_token_loader(lambda header, payload: unauthorized("Token has been revoked"))
    jwt.needs_fresh_token_loader(lambda header, payload: unauthorized("Fresh token required"))
    jwt.token_verification_failed_loader(lambda header, payload: unauthorized("Invalid token"))
    jwt.user_lookup_error_loader(lambda header, payload: unauthorized("Unknown user"))
    jwt.token_in_blocklist_loader(
        lambda header, payload: auth_service.is_token_revoked(payload["jti"])
    )
