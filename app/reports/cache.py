"""Rendered reports kept on disk, so a second download of an unchanged assessment is a file read.

A key names the assessment, its version (bumped on every edit) and a fingerprint of the
template and of what else the report prints, so an edited assessment or a new template
never serves a stale PDF. Files are written to a temporary name and moved into place with
``os.replace``, so a reader sees either no file or a complete one, never a partial one.
The cache is an optimisation only: every failure to read or write it is logged and
ignored, and the caller serves the freshly rendered PDF.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

_KEY = re.compile(r"^[0-9]+-v[0-9]+-[0-9a-f]{8,64}$")


def write_atomically(directory: Path, target: Path, content: bytes, suffix: str) -> None:
    """Write ``target`` whole or not at all: a reader never sees half a file. Raises ``OSError``."""
    temporary: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-", suffix=suffix)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
        temporary = None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def cache_key(assessment_id: int, version: int, fingerprint: str) -> str:
    """``123-v4-<fingerprint>``: the assessment id leads so older versions can be found and removed."""
    key = f"{int(assessment_id)}-v{int(version)}-{fingerprint}"
    if not _KEY.match(key):
        raise ValueError(f"not a report cache key: {key!r}")
    return key


class ReportCache:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"not a report cache key: {key!r}")
        return self.directory / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as problem:
            logger.warning("report cache: cannot read %s (%s)", key, problem)
            return None

    def put(self, key: str, pdf: bytes) -> bool:
        """Store atomically; return False (and keep serving) if the directory is unwritable or full."""
        try:
            write_atomically(self.directory, self._path(key), pdf, ".pdf")
        except OSError as problem:
            logger.warning("report cache: cannot store %s (%s); serving without caching", key, problem)
            return False
        self._remove_older(key)
        return True

    def discard(self, assessment_id: int) -> bool:
        """Delete every cached version of one assessment's report (account deletion needs this).

        Returns False, after logging, if a file could not be removed.
        """
        try:
            for path in self.directory.glob(f"{int(assessment_id)}-v*.pdf"):
                path.unlink(missing_ok=True)
        except OSError as problem:
            logger.warning(
                "report cache: cannot remove reports of assessment %s (%s)", assessment_id, problem
            )
            return False
        return True

    def _remove_older(self, key: str) -> None:
        """Delete this assessment's other cached versions: they can never be served again."""
        prefix = key.split("-", 1)[0] + "-v"
        try:
            for path in self.directory.glob(f"{prefix}*.pdf"):
                if path.stem != key:
                    path.unlink(missing_ok=True)
        except OSError as problem:
            logger.warning("report cache: cannot tidy old versions of %s (%s)", key, problem)
