"""Preview tokens: what was previewed is what is sent, and each preview is sent only once."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from board.submissions.services import SubmissionError

MAX_AGE = 2 * 60 * 60
_SALT = "rcjobs-submission-preview"


def _digest(fields: Mapping[str, Any]) -> str:
    payload = json.dumps({k: fields.get(k) for k in sorted(fields)}, default=str, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def issue(secret: str, fields: Mapping[str, Any]) -> str:
    """A signed token naming a fresh nonce and the previewed content."""
    serializer = URLSafeTimedSerializer(secret, salt=_SALT)
    return serializer.dumps({"n": secrets.token_hex(16), "d": _digest(fields)})


def check(secret: str, token: str | None, fields: Mapping[str, Any], max_age: int = MAX_AGE) -> str:
    """The nonce of a valid token for exactly these fields; SubmissionError otherwise."""
    serializer = URLSafeTimedSerializer(secret, salt=_SALT)
    try:
        data = serializer.loads(token or "", max_age=max_age)
    except SignatureExpired as exc:
        raise SubmissionError("The preview expired: please preview the posting again.") from exc
    except BadSignature as exc:
        raise SubmissionError("Please preview the posting before sending it.") from exc
    if not isinstance(data, dict) or data.get("d") != _digest(fields):
        raise SubmissionError("The posting changed after the preview: please preview it again.")
    return str(data["n"])
