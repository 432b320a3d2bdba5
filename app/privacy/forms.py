"""Forms for the privacy pages. Messages follow STYLE.md §7."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField

from app.auth.passwords import MAX_LENGTH
from app.forms_base import BaseForm, NoLongerThan, Required


class WithdrawConsentForm(BaseForm):
    delete_equality = BooleanField("Also delete my equality answers")


class DeleteAccountForm(BaseForm):
    password = PasswordField(
        "Your password",
        validators=[Required("your password"), NoLongerThan(MAX_LENGTH, "your password")],
    )
