"""Made files and figures kept for next time: one file cache and one in-process cache.

``FileCache`` keeps rendered files on disk: the participant's report PDF (``ReportCache``, keyed
by the assessment, its version and a fingerprint of what it prints) and the designer's PDFs and
Word files (``app.designer.documents.DocumentCache``, keyed by the programme, its cohort version,
framework and code). A key names a *group* (one assessment, one document of one programme)
and a version within it; storing a new version removes the group's older files, which can
never be served again. Files are written to a temporary name and moved into place with
``os.replace``, so a reader sees either no file or a complete one, never a partial one. The
cache is an optimisation only: every failure to read or write it is logged and ignored, and
the caller serves the freshly made file.

``LatestCache`` keeps computed figures in the process (the designer's "Fit for purpose"
figures), under the same kind of key: the newest value per group only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


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


class FileCache:
    """Files on disk under keys a subclass defines: ``KEY`` (whole key) and ``group`` (its prefix).

    A key that does not match ``KEY`` or a suffix not in ``SUFFIXES`` is a ``ValueError``: keys
    are made by code, never read from a request, and must not name a file elsewhere.
    """

    KEY: ClassVar[re.Pattern[str]]
    SUFFIXES: ClassVar[tuple[str, ...]]
    NAME: ClassVar[str]
    """The cache's name in logs ("report cache"); its keys are "<NAME> keys" in errors."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    @staticmethod
    def group(key: str) -> str:
        """The prefix every version of the key's file shares."""
        raise NotImplementedError

    def _path(self, key: str, suffix: str) -> Path:
        if not self.KEY.match(key) or suffix not in self.SUFFIXES:
            raise ValueError(f"not a {self.NAME} key: {key!r}")
        return self.directory / f"{key}{suffix}"

    def read(self, key: str, suffix: str) -> bytes | None:
        try:
            return self._path(key, suffix).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as problem:
            logger.warning("%s: cannot read %s (%s)", self.NAME, key, problem)
            return None

    def write(self, key: str, suffix: str, content: bytes) -> bool:
        """Store atomically; return False (and keep serving) if the directory is unwritable or full."""
        try:
            write_atomically(self.directory, self._path(key, suffix), content, suffix)
        except OSError as problem:
            logger.warning("%s: cannot store %s (%s); serving without caching", self.NAME, key, problem)
            return False
        self._remove_older(key, suffix)
        return True

    def get_or_make(self, key: str, suffix: str, make: Callable[[], bytes]) -> tuple[bytes, bool]:
        """(content, from_cache): the stored file, or a fresh one stored for next time."""
        found = self.read(key, suffix)
        if found is not None:
            return found, True
        content = make()
        self.write(key, suffix, content)
        return content, False

    def discard_group(self, prefix: str) -> bool:
        """Delete every file whose name starts with ``prefix`` (a ``group``); False, logged, on failure."""
        try:
            for suffix in self.SUFFIXES:
                for path in self.directory.glob(f"{prefix}*{suffix}"):
                    path.unlink(missing_ok=True)
        except OSError as problem:
            logger.warning("%s: cannot remove the files of %s (%s)", self.NAME, prefix, problem)
            return False
        return True

    def _remove_older(self, key: str, suffix: str) -> None:
        """Other versions in the key's group can never be served again."""
        try:
            for path in self.directory.glob(f"{self.group(key)}*{suffix}"):
                if path.stem != key:
                    path.unlink(missing_ok=True)
        except OSError as problem:
            logger.warning("%s: cannot tidy old versions of %s (%s)", self.NAME, key, problem)


# --------------------------------------------------------------------------- participant reports


def cache_key(assessment_id: int, version: int, fingerprint: str) -> str:
    """``123-v4-<fingerprint>``: the assessment id leads so older versions can be found and removed."""
    key = f"{int(assessment_id)}-v{int(version)}-{fingerprint}"
    if not ReportCache.KEY.match(key):
        raise ValueError(f"not a report cache key: {key!r}")
    return key


class ReportCache(FileCache):
    """Participants' report PDFs, one group per assessment."""

    KEY = re.compile(r"^[0-9]+-v[0-9]+-[0-9a-f]{8,64}$")
    SUFFIXES = (".pdf",)
    NAME = "report cache"

    @staticmethod
    def group(key: str) -> str:
        return key.split("-", 1)[0] + "-v"

    def get(self, key: str) -> bytes | None:
        return self.read(key, ".pdf")

    def put(self, key: str, pdf: bytes) -> bool:
        return self.write(key, ".pdf", pdf)

    def discard(self, assessment_id: int) -> bool:
        """Delete every cached version of one assessment's report (account deletion needs this)."""
        return self.discard_group(f"{int(assessment_id)}-v")


# --------------------------------------------------------------------------- figures in the process


class LatestCache(Generic[T]):
    """Computed values in this process: the newest per group, for at most ``groups`` groups.

    ``get_or_make(group, key, make)`` returns the value stored under ``key`` for ``group``, or
    makes, stores and returns a new one (replacing the group's older value, which a new key
    means can never be asked for again). Thread-safe; ``make`` runs outside the lock, so two
    first requests may both make the value (the same one).
    """

    def __init__(self, groups: int = 64) -> None:
        self.groups = groups
        self._values: OrderedDict[Hashable, tuple[Hashable, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, group: Hashable, key: Hashable, make: Callable[[], T]) -> tuple[T, bool]:
        """(value, from_cache)."""
        with self._lock:
            found = self._values.get(group)
            if found is not None and found[0] == key:
                self._values.move_to_end(group)
                return found[1], True
        value = make()
        with self._lock:
            self._values[group] = (key, value)
            self._values.move_to_end(group)
            while len(self._values) > self.groups:
                self._values.popitem(last=False)
        return value, False

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
