"""roleplay-api: roleplay sales-training sessions and chat-state storage."""

from roleplay_api.app import create_app

__all__ = ["create_app"]
