"""A person's rights over their data: download it, withdraw consent, delete the account (UK GDPR)."""

from app.privacy.views import bp

__all__ = ["bp"]
