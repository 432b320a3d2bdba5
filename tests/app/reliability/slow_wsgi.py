"""A test-only WSGI entry point: the real app, with a rating save that pauses inside its transaction.

While the file named by ``CERTREADY_TEST_SLOW_SAVE_FLAG`` exists, the first rating row a request
writes is followed by a pause, after the write and before the commit, and the worker's pid is
written to ``CERTREADY_TEST_SLOW_SAVE_MARK`` with the number of rating rows the open transaction
sees: the test then knows a save is half-done and whom to
kill. Production code knows nothing of this.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from app import create_app
from app.extensions import db

app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
FLAG = Path(os.environ["CERTREADY_TEST_SLOW_SAVE_FLAG"])
MARK = Path(os.environ["CERTREADY_TEST_SLOW_SAVE_MARK"])


def _pause_inside_the_save(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    if FLAG.exists() and statement.lstrip().upper().startswith("INSERT INTO RATING"):
        # How many rating rows this uncommitted transaction can see: proof the save is half-done.
        counter = cursor.connection.cursor()
        counter.execute("SELECT count(*) FROM rating")
        partial = MARK.with_suffix(".partial")
        partial.write_text(f"{os.getpid()} {counter.fetchone()[0]}")
        os.replace(partial, MARK)  # the test never reads half a line
        counter.close()
        time.sleep(60)  # the test kills this process long before


with app.app_context():
    event.listen(db.engine, "after_cursor_execute", _pause_inside_the_save)
