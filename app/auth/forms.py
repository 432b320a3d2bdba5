"""Account forms. Messages follow STYLE.md §7; limits match the columns in app/models.py."""

from __future__ import annotations

from typing import Any

from wtforms import EmailField, Field, Form, PasswordField, StringField
from wtforms.validators import Email, EqualTo, Optional, StopValidation

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH, is_common
from app.forms_base import AtLeast, BaseForm, NoLongerThan, Required

EMAIL_MAX = 254  # User.email is String(254)
DISPLAY_NAME_MAX = 120  # User.display_name is String(120)
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class NotCommon:
    def __call__(self, form: Form, field: Field) -> None:
        if field.data and is_common(field.data):
            raise StopValidation(
                "This password is too common and easy to guess. Choose a different password, "
                "for example 3 random words"
            )


def _email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label,
        filters=[_lower],
        validators=[
            Required("your email address"),
            NoLongerThan(EMAIL_MAX, "your email address"),
            Email(message=EMAIL_FORMAT, granular_message=False, check_deliverability=False),
        ],
    )


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            Required("a password", verb="Create"),
            AtLeast(MIN_LENGTH, "your password"),
            NoLongerThan(MAX_LENGTH, "your password"),
            NotCommon(),
        ],
    )


def _confirm_field(label: str, other: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            Required("your password again", verb="Confirm"),
            EqualTo(other, message="The passwords do not match. Enter the same password twice"),
        ],
    )


class RegisterForm(BaseForm):
    email = _email_field()
    display_name = StringField(
        "Your name (optional)",
        validators=[Optional(), NoLongerThan(DISPLAY_NAME_MAX, "your name")],
    )
    password = _new_password_field("Create a password")
    confirm_password = _confirm_field("Confirm your password", "password")


class LoginForm(BaseForm):
    email = _email_field()
    password = PasswordField(
        "Password",
        validators=[Required("your password"), NoLongerThan(MAX_LENGTH, "your password")],
    )


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password",
        validators=[Required("your current password"), NoLongerThan(MAX_LENGTH, "your current password")],
    )
    new_password = _new_password_field("New password")
    confirm_password = _confirm_field("Confirm your new password", "new_password")

    def validate_new_password(self, field: Field) -> None:
        if field.data and field.data == self.current_password.data:
            raise StopValidation("Your new password must be different from your current password")


class ResetRequestForm(BaseForm):
    email = _email_field()


class ResetPasswordForm(BaseForm):
    password = _new_password_field("New password")
    confirm_password = _confirm_field("Confirm your new password", "password")
