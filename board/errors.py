"""Errors that reach the user as one clear line (kept free of heavy imports for the CLI)."""


class DatabaseError(RuntimeError):
    """The database cannot be reached or used; the message says why in one line."""
