"""Uploading a new or changed framework: validated, stored as a new version, audited."""

from __future__ import annotations

from typing import BinaryIO

from app.designer import services
from app.models import User

UploadRejected = services.UploadRejected
UploadOutcome = services.UploadOutcome


def upload(user: User, stream: BinaryIO, filename: str) -> UploadOutcome:
    """Store the uploaded file; raises ``UploadRejected`` with sentences for the designer.

    Reads one byte past the limit, so a file that is too large is refused without reading it all.
    """
    return services.upload_framework(user, stream.read(services.MAX_FRAMEWORK_BYTES + 1), filename)
