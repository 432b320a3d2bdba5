"""Running a test's workers on threads at once, with their failures reported on the test's own thread.

An exception raised on a thread is otherwise printed and lost, and the test would pass.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any


def run_together(
    work: Callable[..., None], calls: Iterable[tuple[Any, ...]], *, timeout: float | None = None
) -> list[BaseException]:
    """Call ``work(*arguments)`` for each of ``calls``, each on its own thread; the exceptions raised."""
    errors: list[BaseException] = []

    def guarded(*arguments: Any) -> None:
        try:
            work(*arguments)
        except BaseException as problem:  # handed back to the caller, which asserts there are none
            errors.append(problem)

    threads = [threading.Thread(target=guarded, args=arguments) for arguments in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return errors
