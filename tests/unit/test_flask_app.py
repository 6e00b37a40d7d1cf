"""The App subclass: ensure_sync answers from memory without keeping handlers alive."""

import gc

import pytest

from roleplay_api.flask_app import App


def test_plain_functions_are_remembered_and_released():
    app = App(__name__)

    def handler():
        return "ok"

    assert app.ensure_sync(handler) is handler
    assert handler in app._plain_handlers
    assert app.ensure_sync(handler) is handler
    del handler
    gc.collect()
    assert len(app._plain_handlers) == 0


def test_coroutines_still_go_to_flask():
    """Flask wraps async views (or says it needs its async extra); they are never cached."""
    app = App(__name__)

    async def handler():
        return "ok"

    with pytest.raises(RuntimeError, match="async"):
        app.ensure_sync(handler)
    assert handler not in app._plain_handlers
