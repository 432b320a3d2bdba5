"""Consultation downloads: the results as CSV, the whole consultation as YAML or JSON (the file format)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import yaml

from app.consultation.presenters import SIDE_NAMES, SPLIT_LABELS, group_label, percent
from assessments import consultation as domain

NOT_SHOWN = "not shown"


def results_csv(counted: domain.Results) -> str:
    """Overall, per group (small groups "not shown") and per item; UTF-8 with a BOM for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "group_or_item", "side", "participants", "votes", "votes_on_advantages"])
    writer.writerow(
        ["Overall", "Everyone", "", counted.participants, counted.votes, percent(counted.advantage_share)]
    )
    for split, groups in counted.by_group.items():
        for group in groups:
            label = group_label(split, group.group)
            if group.suppressed:
                writer.writerow([SPLIT_LABELS[split], label, "", NOT_SHOWN, NOT_SHOWN, NOT_SHOWN])
            else:
                writer.writerow(
                    [
                        SPLIT_LABELS[split],
                        label,
                        "",
                        group.participants,
                        group.votes,
                        percent(group.advantage_share),
                    ]
                )
    for item in counted.items:
        writer.writerow(["Item", _csv_safe(item.text), SIDE_NAMES[item.side], "", item.votes, ""])
    return "\ufeff" + out.getvalue()


def _csv_safe(text: str) -> str:
    # A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_yaml(mapping: dict[str, Any]) -> str:
    return yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True)


def as_json(mapping: dict[str, Any]) -> str:
    return json.dumps(mapping, indent=2, ensure_ascii=False)
