"""Anonymous participants' tokens: a random secret per consultation joined, in one signed cookie.

The cookie is signed with the app's secret key (itsdangerous), HttpOnly, SameSite=Lax and sent only
to the pages under ``/consultations/join``; the database keeps only each secret's SHA-256 hash
(``services.token_hash``). A forged or tampered cookie reads as no tokens at all.
"""

from __future__ import annotations

from flask import current_app, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

COOKIE = "certready_consultations"
COOKIE_SALT = "consultation-participants"
MAX_TOKENS = 20
"""A cookie remembers this many consultations; older ones drop off first."""
MAX_AGE = 60 * 60 * 24 * 90


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=COOKIE_SALT)  # type: ignore[arg-type]


def read() -> list[str]:
    """The tokens in this request's cookie (none when it is missing, too long or not ours)."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 4096:
        return []
    try:
        tokens = _serializer().loads(raw)
    except BadSignature:
        return []
    if not isinstance(tokens, list):
        return []
    return [token for token in tokens if isinstance(token, str) and len(token) <= 64][-MAX_TOKENS:]


def remember(response: Response, token: str) -> Response:
    """Add ``token`` to the cookie the response sets."""
    tokens = [*read(), token][-MAX_TOKENS:]
    response.set_cookie(
        COOKIE,
        _serializer().dumps(tokens),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        path=url_for("consultation.join"),
    )
    return response
