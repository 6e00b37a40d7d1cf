"""The Flask subclass create_app builds."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from flask import Flask


class App(Flask):
    """Flask that remembers which handlers are plain functions.

    Flask (and flask-smorest's wrappers) call ``ensure_sync`` on every handler of every
    request, which inspects the code object each time: about a dozen calls per request. The
    answer never changes for a function, so keep it (weakly, so per-call closures do not pile up).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The value must not refer to the key, or the key would never be released.
        self._plain_handlers: weakref.WeakKeyDictionary[Callable[..., Any], bool]
        self._plain_handlers = weakref.WeakKeyDictionary()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            if func in self._plain_handlers:
                return func
        except TypeError:  # not weakly referenceable
            return super().ensure_sync(func)
        result = super().ensure_sync(func)
        if result is func:
            self._plain_handlers[func] = True
        return result
