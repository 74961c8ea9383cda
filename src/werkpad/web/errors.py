"""The exceptions a handler raises to end a request; ``web.app`` turns each into its response."""

from __future__ import annotations


class NotAuthenticated(Exception):
    """No valid login: HTML pages redirect to /login, the API answers 401."""


class Forbidden(Exception):
    """Logged in, but this role may not do this: 403 without any data."""


class NotFound(Exception):
    """The object does not exist (or is outside what this user may see): 404."""
