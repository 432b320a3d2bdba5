"""Site-wide pages: home, health check, privacy notice, error pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)
