"""Account pages. Thin views: validate, call ``services``, redirect (or re-render with errors)."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth import services
from app.auth.forms import ChangePasswordForm, LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from app.forms_base import entered, field_errors
from app.main.navigation import account_links
from app.rate_limiting import limiter

bp = Blueprint("auth", __name__)

ROLE_NAMES = {"participant": "Participant", "designer": "Programme designer", "admin": "Administrator"}
REGISTERED = "Your account has been created and you are signed in."
ACCOUNT_MAY_EXIST = (
    "Sign in with your email address and password. If you have forgotten your password, you can reset it."
)
RESET_REQUESTED = (
    "If an account uses that email address, we have sent it a link to reset the password. "
    "The link works for 1 hour."
)
BAD_RESET_LINK = "This password reset link has expired or has already been used. Ask for a new one."


def _failed(response: Response) -> bool:
    # Only attempts that did not sign anyone in count towards the limits.
    return response.status_code != 302


def _account_key() -> str:
    email = (request.form.get("email") or "").strip().lower()
    return "sign-in-account:" + hashlib.sha256(email.encode()).hexdigest()


def _address_limit() -> str:
    return current_app.config["CERTREADY_SIGN_IN_LIMIT_PER_ADDRESS"]


def _account_limit() -> str:
    return current_app.config["CERTREADY_SIGN_IN_LIMIT_PER_ACCOUNT"]


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or len(target) > 2000 or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _after_sign_in() -> str:
    """Designers and admins land on the designer's home; participants on their assessments."""
    staff = current_user.is_authenticated and current_user.role in ("designer", "admin")
    if staff and "designer.index" in current_app.view_functions:
        return url_for("designer.index")
    rules = {rule.rule for rule in current_app.url_map.iter_rules()}
    return "/assessments/" if "/assessments/" in rules else url_for("auth.account")


def _register_limit() -> str:
    return current_app.config["CERTREADY_REGISTER_LIMIT_PER_ADDRESS"]


def _registration_attempt() -> bool:
    # Every attempt that got as far as the email (a new one or a taken one) counts: both answer
    # alike, so only a limit on attempts makes probing many addresses slow.
    return request.method == "POST" and bool(request.form.get("email"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_address_limit, key_func=get_remote_address, methods=["POST"], deduct_when=_failed)
@limiter.limit(
    _register_limit,
    key_func=get_remote_address,
    methods=["POST"],
    exempt_when=lambda: not _registration_attempt(),
)
def register() -> str | Response:
    """Create an account; a taken email gets the same answer (OWASP: no account enumeration).

    Both answer 302 to ``auth.registered``, with no body of their own. A new address is signed
    in, so the next page (About you or sign in) still differs: unavoidable while registration
    signs people in without first confirming the address by email. The holder of a taken
    address is told by email (``services.register``). Time is spent alike (one argon2 hash
    each), but sending that email, when SMTP is set, adds its own time to the taken case.
    """
    if current_user.is_authenticated:
        return redirect(_after_sign_in())
    form = RegisterForm()
    if form.validate_on_submit():
        user = services.register(
            entered(form.email), entered(form.password), form.display_name.data, links=_account_links
        )
        flash(REGISTERED if user is not None else ACCOUNT_MAY_EXIST, "success" if user else "info")
        return redirect(url_for("auth.registered"))
    return render_template("auth/register.html", form=form)


@bp.route("/register/next")
def registered() -> Response:
    """Where every registration goes: About you when it signed someone in, else sign-in."""
    if current_user.is_authenticated:
        return redirect(url_for("journey.start_profile"))
    return redirect(url_for("auth.login"))


def _account_links() -> dict[str, str]:
    """Absolute links for the email to the holder of an address someone tried to register."""
    base = current_app.config.get("CERTREADY_BASE_URL")
    paths = {"sign_in": url_for("auth.login"), "reset": url_for("auth.request_password_reset")}
    if base:
        return {name: base.rstrip("/") + path for name, path in paths.items()}
    return {
        "sign_in": url_for("auth.login", _external=True),
        "reset": url_for("auth.request_password_reset", _external=True),
    }


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, key_func=get_remote_address, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login() -> str | Response:
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or _after_sign_in())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(entered(form.email), entered(form.password))
        if user is not None:
            services.sign_in(user)
            return redirect(next_url or _after_sign_in())
        field_errors(form.email).append("The email address or password is not right")
    return render_template("auth/login.html", form=form, next_url=next_url)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    # The real object, not the proxy: signing out swaps what ``current_user`` points at.
    services.sign_out(current_user._get_current_object() if current_user.is_authenticated else None)
    flash("You have signed out.", "success")
    return redirect(url_for("main.home"))


@bp.route("/account")
@login_required
def account() -> str:
    return render_template("auth/account.html", role_names=ROLE_NAMES, account_links=account_links())


@bp.route("/account/change-password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user._get_current_object(), entered(form.current_password), entered(form.new_password)
            )
        except services.WrongPassword as problem:
            field_errors(form.current_password).append(str(problem))
        else:
            flash("Your password has been changed. Other devices have been signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change-password.html", form=form)


def _reset_link(token: str) -> str:
    base = current_app.config.get("CERTREADY_BASE_URL")
    if base:
        return base.rstrip("/") + url_for("auth.reset_password", token=token)
    return url_for("auth.reset_password", token=token, _external=True)


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_address_limit, key_func=get_remote_address, methods=["POST"])
def request_password_reset() -> str | Response:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(entered(form.email), _reset_link)
        flash(RESET_REQUESTED, "success")
        return redirect(url_for("auth.request_password_reset"))
    return render_template("auth/reset-request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    user = services.user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset-invalid.html", message=BAD_RESET_LINK), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, entered(form.password))
        flash("Your password has been reset. Sign in with your new password.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset-password.html", form=form, token=token)
