"""Settings from environment variables (``CERTREADY_*``), with safe defaults for development."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _database_url(instance_path: Path) -> str:
    url = _env("CERTREADY_DATABASE_URL", f"sqlite:///{instance_path / 'certready.db'}")
    assert url is not None
    # Accept the common "postgres://" and plain "postgresql://" forms; we ship psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _secret_key(instance_path: Path) -> str:
    """The configured key, or one generated once and kept in the instance folder.

    Several workers may start at once on a fresh instance folder: the key is written to a
    private temporary file and hard-linked into place, which either wins or finds the
    winner's complete file, so every worker ends up with the same key.
    """
    configured = _env("CERTREADY_SECRET_KEY")
    if configured:
        return configured
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        draft = instance_path / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass  # another process got there first; use its key
        finally:
            draft.unlink()
    return key_file.read_text().strip()


def _min_cell() -> tuple[int, int]:
    """(CERTREADY_MIN_CELL, CERTREADY_MIN_CELL_FLOOR): the smallest group shown, and the lowest it may go.

    The floor is the deployment's promise to participants: neither the setting nor
    ``certready cohort --min-cell`` can show figures about fewer people. It defaults to the
    minimum cell itself, so a shell user cannot lower suppression for one run.
    """
    values: dict[str, int] = {}
    for name, default in (("CERTREADY_MIN_CELL", "10"), ("CERTREADY_MIN_CELL_FLOOR", None)):
        raw = _env(name, default if default is not None else str(values["CERTREADY_MIN_CELL"]))
        assert raw is not None
        if not raw.strip().isdigit() or int(raw) < 1:
            raise ValueError(f"{name} must be a whole number of people, 1 or more (got {raw!r})")
        values[name] = int(raw)
    if values["CERTREADY_MIN_CELL"] < values["CERTREADY_MIN_CELL_FLOOR"]:
        raise ValueError(
            f"CERTREADY_MIN_CELL ({values['CERTREADY_MIN_CELL']}) is below CERTREADY_MIN_CELL_FLOOR "
            f"({values['CERTREADY_MIN_CELL_FLOOR']}): raise the minimum cell or lower the floor"
        )
    return values["CERTREADY_MIN_CELL"], values["CERTREADY_MIN_CELL_FLOOR"]


def _release_batch(min_cell: int) -> int:
    """CERTREADY_RELEASE_BATCH: how many people's new or changed submissions designer figures wait for.

    Figures change only in batches of at least this many people, so comparing them before and
    after one known person submits cannot reveal that person's answers. It defaults to the
    minimum cell: a batch smaller than the smallest group shown would undo that protection.
    """
    raw = _env("CERTREADY_RELEASE_BATCH", str(min_cell))
    assert raw is not None
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ValueError(f"CERTREADY_RELEASE_BATCH must be a whole number of people, 1 or more (got {raw!r})")
    return int(raw)


def release_batch_warning(config: dict[str, Any] | Any) -> str | None:
    """A sentence for the start-up log when the release batch is below the minimum cell, else None."""
    batch, min_cell = config.get("CERTREADY_RELEASE_BATCH"), config.get("CERTREADY_MIN_CELL")
    if batch is None or min_cell is None or batch >= min_cell:
        return None
    return (
        f"CERTREADY_RELEASE_BATCH ({batch}) is below CERTREADY_MIN_CELL ({min_cell}): comparing the "
        "designer figures before and after a batch can show the answers of fewer people than the "
        "smallest group the figures show (see docs/inclusivity-statistics.md)"
    )


LAWFUL_BASES = ("public-task", "legitimate-interests")

PRIVACY_SETTINGS: dict[str, str] = {
    "CERTREADY_CONTROLLER_NAME": "the data controller's name",
    "CERTREADY_PRIVACY_CONTACT": "how to contact the data controller",
    "CERTREADY_LAWFUL_BASIS": "the lawful basis for ordinary personal data",
    "CERTREADY_BACKUP_RETENTION_DAYS": "how long backups keep deleted information",
}
"""What the privacy notice needs from each deployment (the DPO is optional, so not listed)."""


class SettingError(ValueError):
    """A setting has a value the app cannot use; the message names the setting."""


def _optional_int(name: str) -> int | None:
    value = _env(name)
    if value is None:
        return None
    if not value.isdigit():
        raise SettingError(f"{name} must be a whole number of days, not {value!r}")
    return int(value)


def missing_privacy_settings(config: dict[str, Any] | Any) -> list[str]:
    """The privacy-notice settings left unset, and a problem for a lawful basis the app does not know."""
    missing = [name for name in PRIVACY_SETTINGS if config.get(name) in (None, "")]
    basis = config.get("CERTREADY_LAWFUL_BASIS")
    if basis not in (None, "") and basis not in LAWFUL_BASES:
        raise SettingError(f"CERTREADY_LAWFUL_BASIS must be one of {', '.join(LAWFUL_BASES)}, not {basis!r}")
    return missing


def settings(instance_path: Path) -> dict[str, Any]:
    """Every setting the app reads, resolved from the environment."""
    environment = _env("CERTREADY_ENV", "development")
    min_cell, min_cell_floor = _min_cell()
    found = {
        "CERTREADY_ENV": environment,
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CERTREADY_MIN_CELL": min_cell,
        "CERTREADY_MIN_CELL_FLOOR": min_cell_floor,
        "CERTREADY_RELEASE_BATCH": _release_batch(min_cell),
        # The privacy notice (/privacy) names the data controller and how to reach it, as UK GDPR
        # Article 13 asks. Unset in development: the notice shows a visible placeholder; unset in
        # production: a warning at start-up (see PRIVACY_SETTINGS).
        "CERTREADY_CONTROLLER_NAME": _env("CERTREADY_CONTROLLER_NAME"),
        # Who people contact about their data: an email address or a sentence.
        "CERTREADY_PRIVACY_CONTACT": _env("CERTREADY_PRIVACY_CONTACT"),
        # The data protection officer, where the controller has one (optional).
        "CERTREADY_DPO_CONTACT": _env("CERTREADY_DPO_CONTACT"),
        # "public-task" (UK GDPR Article 6(1)(e), a public body such as an NHS organisation) or
        # "legitimate-interests" (Article 6(1)(f)).
        "CERTREADY_LAWFUL_BASIS": _env("CERTREADY_LAWFUL_BASIS"),
        # Days the controller's backups keep information after an account is deleted.
        "CERTREADY_BACKUP_RETENTION_DAYS": _optional_int("CERTREADY_BACKUP_RETENTION_DAYS"),
        "CERTREADY_REPORT_CACHE_DIR": _env("CERTREADY_REPORT_CACHE_DIR", str(instance_path / "reports")),
        "RATELIMIT_STORAGE_URI": _env("CERTREADY_REDIS_URL", "memory://"),
        # Explicit, because the limiter is a module-level object that would otherwise carry the
        # previous app's setting over to the next one (tests build many apps).
        "RATELIMIT_ENABLED": _env("CERTREADY_RATELIMIT_ENABLED", "1") not in ("0", "false", "no"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "CERTREADY_SIGN_IN_LIMIT_PER_ADDRESS": _env("CERTREADY_SIGN_IN_LIMIT_PER_ADDRESS", "10/minute"),
        "CERTREADY_SIGN_IN_LIMIT_PER_ACCOUNT": _env("CERTREADY_SIGN_IN_LIMIT_PER_ACCOUNT", "5/minute"),
        # Every registration attempt from one address, new email or not: probing which addresses
        # have accounts costs an attacker this many tries per address.
        "CERTREADY_REGISTER_LIMIT_PER_ADDRESS": _env(
            "CERTREADY_REGISTER_LIMIT_PER_ADDRESS", "20/hour;5/minute"
        ),
        # Consultation codes that match nothing, per address (right codes never count).
        "CERTREADY_CONSULTATION_JOIN_LIMIT": _env("CERTREADY_CONSULTATION_JOIN_LIMIT", "20/minute"),
        # Where password-reset links point. Without it the link uses the Host of the request,
        # which is fine in development; set it in production so a forged Host cannot redirect links.
        "CERTREADY_BASE_URL": _env("CERTREADY_BASE_URL"),
        # How many reverse proxies sit in front of the app and set X-Forwarded-For/-Proto/-Host.
        # 0 (default) trusts none of those headers; behind one proxy (nginx, a load balancer) set 1,
        # or every visitor shares the proxy's address for rate limits and HTTPS goes unnoticed.
        "CERTREADY_PROXY_COUNT": int(_env("CERTREADY_PROXY_COUNT", "0") or 0),
        # "fast" only for tests: argon2 with tiny cost so a suite of hundreds of sign-ins stays quick.
        "CERTREADY_PASSWORD_HASHING": _env("CERTREADY_PASSWORD_HASHING", "standard"),
        "CERTREADY_SMTP_HOST": _env("CERTREADY_SMTP_HOST"),
        "CERTREADY_SMTP_PORT": int(_env("CERTREADY_SMTP_PORT", "587") or 587),
        "CERTREADY_SMTP_USERNAME": _env("CERTREADY_SMTP_USERNAME"),
        "CERTREADY_SMTP_PASSWORD": _env("CERTREADY_SMTP_PASSWORD"),
        "CERTREADY_MAIL_FROM": _env("CERTREADY_MAIL_FROM", "certready@localhost"),
        # "starttls" (default, port 587), "ssl" (port 465) or "none" (a local relay only).
        "CERTREADY_SMTP_SECURITY": _env("CERTREADY_SMTP_SECURITY", "starttls"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": environment != "development",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": environment != "development",
        "PERMANENT_SESSION_LIFETIME": int(_env("CERTREADY_SESSION_MINUTES", "60") or 60) * 60,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
    }
    warning = release_batch_warning(found)
    if warning and environment != "development":
        logging.getLogger(__name__).warning(warning)
    return found
