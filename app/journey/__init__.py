"""The self-assessment journey: programmes, about you, rate yourself, check, results."""

from flask import Blueprint

bp = Blueprint("journey", __name__)
