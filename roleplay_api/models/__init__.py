"""The tables, one module each; importing this package registers them on the metadata."""

from roleplay_api.models.chat_state import ChatStateSession, ChatStateVersion
from roleplay_api.models.roleplay import RoleplaySession
from roleplay_api.models.scenario import Scenario
from roleplay_api.models.token import RevokedToken
from roleplay_api.models.user import User

__all__ = [
    "ChatStateSession",
    "ChatStateVersion",
    "RevokedToken",
    "RoleplaySession",
    "Scenario",
    "User",
]
