"""Drive pages as a person would: with a pointer, or with the keyboard alone.

One journey script runs in every mode. The ``Pointer`` driver clicks and fills; the ``Keyboard``
driver only ever presses Tab (and Shift+Tab), Space, Enter, arrow keys and types text into the field
that has focus, so a control that cannot be reached or worked by keyboard fails the journey.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_TABS = 250
DOWNLOAD_WAIT_MS = 180_000
"""How long a download may take to start. The PDF report is rendered on the click, which takes
about 10 s on a loaded 2-core box and went past the context's 30 s default at a load of 16: how
fast it renders is measured by the benchmarks, not by a journey, which only needs the file."""


class Pointer:
    """Mouse and direct filling: the baseline journey."""

    name = "pointer"

    def __init__(self, page: Any) -> None:
        self.page = page

    def fill(self, locator: Any, text: str) -> None:
        locator.fill(text)

    def choose(self, group: str, value: str) -> None:
        self.page.locator(f"input[type=radio][name='{group}'][value='{value}']").check()

    def tick(self, locator: Any) -> None:
        locator.check()

    def activate(self, locator: Any) -> None:
        """Click a link or button that loads a new page, and wait for it."""
        with self.page.expect_navigation():
            locator.click()

    def download(self, locator: Any) -> Any:
        with self.page.expect_download(timeout=DOWNLOAD_WAIT_MS) as info:
            locator.click()
        return info.value


class Keyboard(Pointer):
    """Keyboard only: Tab to a control, then Space, Enter, arrows or typing."""

    name = "keyboard"

    def focus_by_tab(self, is_target: Callable[[], bool], what: str) -> None:
        trail: list[str] = []
        for _ in range(MAX_TABS):
            if is_target():
                return
            self.page.keyboard.press("Tab")
            trail.append(self.page.evaluate("document.activeElement?.outerHTML.slice(0, 60) ?? ''"))
        recent = "\n    ".join(trail[-8:])
        raise AssertionError(f"Tab never reached {what} on {self.page.url}; last stops:\n    {recent}")

    def tab_to(self, locator: Any) -> None:
        handle = locator.element_handle()
        what = handle.evaluate("el => el.outerHTML.slice(0, 100)")
        self.focus_by_tab(lambda: bool(handle.evaluate("el => el === document.activeElement")), what)

    def fill(self, locator: Any, text: str) -> None:
        self.tab_to(locator)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def choose(self, group: str, value: str) -> None:
        in_group = f"document.activeElement?.name === {group!r} && document.activeElement.type === 'radio'"
        self.focus_by_tab(lambda: bool(self.page.evaluate(in_group)), f"the radios {group!r}")
        chosen = f"document.querySelector(\"input[name='{group}']:checked\")?.value ?? null"
        if self.page.evaluate(chosen) is None:
            self.page.keyboard.press("Space")  # selects the radio that has focus (the first)
        options = self.page.locator(f"input[type=radio][name='{group}']").count()
        for _ in range(options):
            if self.page.evaluate(chosen) == value:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"the arrow keys never selected {value!r} in the radios {group!r}")

    def tick(self, locator: Any) -> None:
        self.tab_to(locator)
        if not locator.is_checked():
            self.page.keyboard.press("Space")
        assert locator.is_checked(), "Space did not tick the checkbox"

    def activate(self, locator: Any) -> None:
        self.tab_to(locator)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def download(self, locator: Any) -> Any:
        self.tab_to(locator)
        with self.page.expect_download(timeout=DOWNLOAD_WAIT_MS) as info:
            self.page.keyboard.press("Enter")
        return info.value
