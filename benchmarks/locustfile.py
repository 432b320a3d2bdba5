"""A participant's whole journey as a locust user: register (signed in), about you, every rating page, submit.

``benchmarks/load.py`` runs this against a throwaway server and checks the database afterwards;
it can also be pointed at a server you started yourself (only ever on this machine):

    .venv/bin/locust -f benchmarks/locustfile.py --host http://127.0.0.1:8000 --headless -u 50 -r 10 -t 60s

Each simulated person registers their own account (registration signs them in), so per-address
limits would throttle 50 people sharing 127.0.0.1: ``load.py`` switches the limiter off.

Every rating page POST that gets its redirect (the success response) is recorded in ``SAVED``
as ``(assessment id, criterion id) -> (email, level, evidence)``, the last save winning, so the
database can be compared with what the server said it stored.
"""

from __future__ import annotations

import html
import itertools
import random
import re
import sys
import threading
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task
from locust.exception import StopUser

# Run by ``locust -f`` this file's folder is on the path, not the tree it belongs to.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._answers import VERSION, choices, typed_answers

PASSWORD = "load test password that is long enough"

SAVED: dict[tuple[int, str], tuple[str, str, str]] = {}
SUBMITTED: set[int] = set()
COUNTS = {"server_errors": 0, "unexpected": 0}
_lock = threading.Lock()
_numbers = itertools.count(1)

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_ASSESSMENT = re.compile(r"/assessments/(\d+)/")
_DOMAIN = re.compile(r"/assessments/\d+/domains/([^/?#]+)")
_PROFILE = re.compile(r"/profile/([a-z-]+)")

EVIDENCE = ["", "Led the EPR roll-out on two wards", "Ran a hackathon — «données» ✓", "Mentored a colleague"]


class Participant(HttpUser):
    """One person; after submitting they start another programme, until the run ends."""

    wait_time = between(0.2, 1.0)
    programmes: tuple[str, ...] = ("nhs-digital-academy-dhlp",)

    def on_start(self) -> None:
        self.email = f"load-{next(_numbers)}-{random.randrange(10**9)}@example.org"
        self.register_and_sign_in()

    # --- helpers ---------------------------------------------------------------------------------

    def _check(self, response: Any, expected: tuple[int, ...], step: str) -> bool:
        """Count 5xx and any status other than ``expected``; locust counts them as failures too."""
        if response.status_code in expected:
            response.success()
            return True
        with _lock:
            COUNTS["server_errors" if response.status_code >= 500 else "unexpected"] += 1
        problem = re.search(r'nhsuk-error-summary__list">\s*<li>\s*<a[^>]*>([^<]+)', response.text or "")
        response.failure(f"{step}: HTTP {response.status_code} {problem.group(1).strip() if problem else ''}")
        return False

    def get(self, path: str, name: str) -> str | None:
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            return response.text if self._check(response, (200,), name) else None

    def post(self, path: str, data: dict[str, Any] | list[tuple[str, str]], name: str) -> str | None:
        """POST expecting a redirect; the Location, or None."""
        with self.client.post(
            path, data=data, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if not self._check(response, (302, 303), name):
                return None
            return response.headers["Location"]

    def follow(self, location: str) -> str:
        return re.sub(r"^https?://[^/]+", "", location)

    # --- the journey -----------------------------------------------------------------------------

    def register_and_sign_in(self) -> None:
        """Register: a new account is signed in at once (one argon2 hash per person)."""
        page = self.get("/register", "register")
        if page is None or not self.post(
            "/register",
            {
                "csrf_token": _CSRF.search(page).group(1),
                "email": self.email,
                "display_name": "Load Test",
                "password": PASSWORD,
                "confirm_password": PASSWORD,
            },
            "register",
        ):
            raise StopUser

    @task
    def take_an_assessment(self) -> None:
        page = self.get("/programmes", "programmes")
        if page is None:
            return
        location = self.post(
            "/assessments/new",
            {"csrf_token": _CSRF.search(page).group(1), "framework_id": random.choice(self.programmes)},
            "start",
        )
        if location is None:
            return
        assessment_id = int(_ASSESSMENT.search(location).group(1))
        with self.client.get(
            self.follow(location), name="resume", catch_response=True, allow_redirects=False
        ) as response:
            if not self._check(response, (302,), "resume"):
                return
            location = response.headers["Location"]
        # About you (first assessment only), then every rating page, then check and submit.
        for _ in range(60):  # bounded: 9 profile pages + the largest framework's domains + check
            path = self.follow(location)
            if _PROFILE.search(path):
                location = self.profile_page(path)
            elif _DOMAIN.search(path):
                location = self.rating_page(assessment_id, path)
            elif path.endswith("/check"):
                location = self.check_and_submit(assessment_id, path)
            elif path.endswith("/results"):
                self.get(path, "results")
                return
            else:
                return
            if location is None:
                return

    def profile_page(self, path: str) -> str | None:
        page = self.get(path, "about you")
        if page is None:
            return None
        token = _CSRF.search(page)
        if path.startswith("/profile/equality-information"):  # a continue link, no form of its own
            link = re.search(r'href="(/profile/equality-[a-z-]+\?[^"]*)"', page)
            return html.unescape(link.group(1)) if link else None
        data: list[tuple[str, str]] = [("csrf_token", token.group(1))]
        for name, values in choices(page).items():
            data.append((name, random.choice(values)))
        data += typed_answers(page)
        return self.post(path, data, "about you")

    def rating_page(self, assessment_id: int, path: str) -> str | None:
        page = self.get(path, "rating page")
        if page is None:
            return None
        levels = {name: values for name, values in choices(page).items() if name.startswith("level-")}
        data: list[tuple[str, str]] = [
            ("csrf_token", _CSRF.search(page).group(1)),
            ("version", VERSION.search(page).group(1)),
            ("action", "continue"),
        ]
        chosen = {}
        for name, values in levels.items():
            criterion = name.removeprefix("level-")
            chosen[criterion] = (random.choice(values), random.choice(EVIDENCE))
            data += [(name, chosen[criterion][0]), (f"evidence-{criterion}", chosen[criterion][1])]
        location = self.post(path, data, "rating save")
        if location is not None:
            with _lock:
                for criterion, value in chosen.items():
                    SAVED[(assessment_id, criterion)] = (self.email, *value)
        return location

    def check_and_submit(self, assessment_id: int, path: str) -> str | None:
        page = self.get(path, "check answers")
        if page is None:
            return None
        location = self.post(
            path,
            {"csrf_token": _CSRF.search(page).group(1), "version": VERSION.search(page).group(1)},
            "submit",
        )
        if location is not None:
            with _lock:
                SUBMITTED.add(assessment_id)
        return location
