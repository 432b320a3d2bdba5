"""Every CERTREADY_* setting the code reads is documented in docs/configuration.md (datasette-style)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NAME = re.compile(r"\bCERTREADY_[A-Z0-9_]*[A-Z0-9]\b")


def _names_used() -> dict[str, str]:
    used: dict[str, str] = {}
    sources = [*ROOT.joinpath("app").rglob("*.py"), *ROOT.joinpath("scripts").glob("*.sh")]
    sources += [
        *ROOT.joinpath("tests", "fixtures").glob("*.py"),
        *ROOT.joinpath("tests", "browser").glob("*.py"),
    ]
    for path in sources:
        for name in NAME.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, str(path.relative_to(ROOT)))
    return used


def _documented() -> set[str]:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(CERTREADY_[A-Z0-9_]+)` \|", text, flags=re.MULTILINE))


def test_every_setting_is_documented():
    documented = _documented()
    missing = {name: where for name, where in _names_used().items() if name not in documented}
    assert missing == {}


def test_docs_list_nothing_that_no_longer_exists():
    assert _documented() - set(_names_used()) == set()
