"""Fixtures shared by the submission, editor, newsletter, review and account tests."""

from tests.accounts.support import app, client, editor_client, frozen  # noqa: F401 - fixtures
