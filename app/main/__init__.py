"""Site-wide pages: home, health check, privacy notice, error pages."""

from app.main.views import bp

__all__ = ["bp"]
