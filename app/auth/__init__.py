"""Accounts: register, sign in and out, change and reset password."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
