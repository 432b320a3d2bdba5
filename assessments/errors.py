"""Errors the domain raises when input files are wrong.

Each carries every problem found (not just the first) as a plain sentence naming the
file and the path of the bad key, because the people who fix these files are programme
designers and participants, not Python developers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the domain's Pydantic models raise it; the errors themselves need no Pydantic
    from pydantic import ValidationError


class InputError(ValueError):
    """A file or mapping given to the domain is not valid."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


class FrameworkError(InputError):
    """A framework file is not valid."""


class ProfileError(InputError):
    """A participant profile is not valid."""


class RatingsError(InputError):
    """A ratings file is not valid for its framework."""


def key_path(loc: Iterable[int | str]) -> str:
    """Render a pydantic location tuple as ``domains[2].criteria[0].required_level``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"


_FRIENDLY = {
    "extra_forbidden": "is not a recognised key",
    "missing": "is required",
}


def describe_validation_error(error: ValidationError) -> list[str]:
    """Turn pydantic's errors into ``path: message`` sentences without pydantic jargon."""
    messages = []
    items = error.errors(include_url=False)
    deeper = [tuple(item["loc"]) for item in items]
    for item in items:
        loc = [part for part in item["loc"] if not _is_union_tag(part)]
        here = tuple(item["loc"])
        if item["type"] == "too_short" and any(len(o) > len(here) and o[: len(here)] == here for o in deeper):
            # The list is "too short" only because its items failed: those errors say why.
            continue
        text = _FRIENDLY.get(item["type"], item["msg"])
        if text.startswith("Value error, "):
            text = text.removeprefix("Value error, ")
        if item["type"] == "literal_error":
            text = text.replace("Input should be", "must be one of")
        messages.append(f"{key_path(loc)}: {_lower_first(text)}")
    return messages


def _is_union_tag(part: int | str) -> bool:
    # pydantic puts the chosen union member's type name in the location (e.g. "int");
    # a person editing YAML has no use for it.
    return isinstance(part, str) and part in {"int", "float", "str", "bool", "list[str]"}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
