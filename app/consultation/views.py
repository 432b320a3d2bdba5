"""Consultation pages."""

from __future__ import annotations

from flask import Blueprint

from app.consultation import models as models  # the tables belong to this feature

bp = Blueprint("consultation", __name__, url_prefix="/consultations")
