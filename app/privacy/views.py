"""Your data: download it, withdraw consent for analysis, delete your account. Thin views."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from app.forms_base import entered, field_errors
from app.privacy import services
from app.privacy.forms import DeleteAccountForm, WithdrawConsentForm
from app.rate_limiting import limiter

bp = Blueprint("privacy", __name__)

DELETED = "Your account and everything in it have been deleted."
WITHDRAWN = (
    "You have withdrawn your consent. Your answers are no longer included in any programme-level analysis."
)


def _address_limit() -> str:
    return current_app.config["CERTREADY_SIGN_IN_LIMIT_PER_ADDRESS"]


def _account_limit() -> str:
    return current_app.config["CERTREADY_SIGN_IN_LIMIT_PER_ACCOUNT"]


def _account_key() -> str:
    return f"delete-account:{current_user.id}"


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _consent_page_url() -> str | None:
    """The journey's consent question, if the journey is registered (it lets people give consent)."""
    if "journey.edit_profile" in current_app.view_functions:
        return url_for("journey.edit_profile", slug="consent")
    return None


@bp.route("/account/data")
@login_required
def your_data() -> str:
    return render_template("privacy/data.html")


@bp.route("/account/data.json")
@login_required
def download_data() -> Response:
    data = services.export_data(current_user._get_current_object())
    response = Response(json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="certready-your-data.json"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/account/consent", methods=["GET", "POST"])
@login_required
def withdraw_consent() -> str | BaseResponse:
    user = current_user._get_current_object()
    form = WithdrawConsentForm()
    if form.validate_on_submit():
        services.withdraw_consent(user, delete_equality=bool(form.delete_equality.data))
        message = WITHDRAWN + (
            " Your equality answers have been deleted." if form.delete_equality.data else ""
        )
        flash(message, "success")
        return redirect(url_for("auth.account"))
    return render_template(
        "privacy/consent.html",
        form=form,
        consent_given=services.consent_given(user),
        has_equality=services.has_equality_answers(user),
        consent_page_url=_consent_page_url(),
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(_address_limit, key_func=get_remote_address, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def delete_account() -> str | BaseResponse:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(
                current_user._get_current_object(),
                entered(form.password),
                current_app.config["CERTREADY_REPORT_CACHE_DIR"],
            )
        except services.WrongPassword as problem:
            field_errors(form.password).append(str(problem))
        else:
            flash(DELETED, "success")
            return redirect(url_for("main.home"))
    return render_template("privacy/delete.html", form=form)
