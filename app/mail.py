"""Sending email through the SMTP server in ``CERTREADY_SMTP_*``; nothing here runs without one."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


class MailNotConfigured(RuntimeError):
    """No ``CERTREADY_SMTP_HOST``: callers decide what to do instead (e.g. log in development)."""


def mail_configured() -> bool:
    return bool(current_app.config.get("CERTREADY_SMTP_HOST"))


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text email; raises ``MailNotConfigured`` or ``smtplib.SMTPException``/``OSError``."""
    config = current_app.config
    host = config.get("CERTREADY_SMTP_HOST")
    if not host:
        raise MailNotConfigured("CERTREADY_SMTP_HOST is not set")
    port = int(config.get("CERTREADY_SMTP_PORT") or 587)
    security = (config.get("CERTREADY_SMTP_SECURITY") or "starttls").lower()

    message = EmailMessage()
    message["From"] = config.get("CERTREADY_MAIL_FROM") or "certready@localhost"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)

    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if security == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=10, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=10)
    with smtp:
        if security == "starttls":
            smtp.starttls(context=context)
        username = config.get("CERTREADY_SMTP_USERNAME")
        if username:
            smtp.login(username, config.get("CERTREADY_SMTP_PASSWORD") or "")
        smtp.send_message(message)
    log.info("Sent an email: %s", subject)
