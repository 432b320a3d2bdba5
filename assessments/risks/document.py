"""``docs/risk-rules.md``, generated from the rule catalogue and a template of the prose around it.

Run ``python -m assessments.risks.document`` to rewrite the page after changing a rule's
declaration or a threshold; ``--check`` exits non-zero when the committed page is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assessments.risk_catalogue import RULE_INFO, THRESHOLDS, RuleInfo

TEMPLATE = Path(__file__).resolve().parent / "risk-rules.template.md"
DOC = Path(__file__).resolve().parents[2] / "docs" / "risk-rules.md"


def _keys(keys: tuple[str, ...]) -> str:
    """`delivery.a`, `b`, `eligibility.c`: each part named once, where it starts."""
    shown: list[str] = []
    part = ""
    for key in keys:
        prefix, _, name = key.partition(".")
        shown.append(f"`{name}`" if prefix == part else f"`{key}`")
        part = prefix
    return ", ".join(shown)


def _reads(info: RuleInfo) -> str:
    answers = ", ".join(f"`{field}`" for field in info.profile_fields) or "no answers"
    return f"{_keys(info.reads)}; {answers}"


def rules_table() -> str:
    rows = [
        "| id | category | reads | fires when, at which severity | mitigations |",
        "|---|---|---|---|---|",
    ]
    rows += [
        f"| `{info.id}` | {info.category} | {_reads(info)} | {info.fires} | {info.helps} |"
        for info in RULE_INFO
    ]
    return "\n".join(rows)


def thresholds_table() -> str:
    rows = ["| constant | value | used by |", "|---|---|---|"]
    rows += [f"| {t.name} | {t.shown} | {t.used_by} |" for t in THRESHOLDS]
    return "\n".join(rows)


def render() -> str:
    """The whole page, as it should be committed."""
    text = TEMPLATE.read_text(encoding="utf-8")
    for marker, table in (
        ("<!-- rules table -->", rules_table()),
        ("<!-- thresholds table -->", thresholds_table()),
    ):
        if text.count(marker) != 1:
            raise ValueError(f"{TEMPLATE.name} must hold the marker {marker} exactly once")
        text = text.replace(marker, table)
    return text


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if DOC.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{DOC} is out of date: run python -m assessments.risks.document\n")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
