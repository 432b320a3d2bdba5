"""The rule catalogue is the one place a rule is declared; the rules page is generated from it."""

import pytest

from assessments import risks
from assessments.risk_catalogue import CATEGORIES, RULE_INFO
from assessments.risks import document


def test_committed_rules_page_is_the_generated_one():
    assert document.DOC.read_text(encoding="utf-8") == document.render(), (
        "docs/risk-rules.md is stale: run python -m assessments.risks.document"
    )


def test_every_declared_rule_has_logic_and_keeps_the_catalogue_order():
    assert [rule.id for rule in risks.RULES] == [info.id for info in RULE_INFO]
    for rule, info in zip(risks.RULES, RULE_INFO, strict=True):
        assert (rule.category, rule.title, rule.rationale, rule.reads, rule.profile_fields) == (
            info.category,
            info.title,
            info.rationale,
            info.reads,
            info.profile_fields,
        )
        assert rule.category in CATEGORIES


def test_document_check_mode_reports_a_stale_page(tmp_path, monkeypatch):
    stale = tmp_path / "risk-rules.md"
    stale.write_text("old", encoding="utf-8")
    monkeypatch.setattr(document, "DOC", stale)
    assert document.main(["--check"]) == 1
    assert document.main([]) == 0
    assert document.main(["--check"]) == 0


def test_every_answer_the_rules_name_is_said_with_the_vocabularys_phrase():
    """No risk wording repeats an answer label: the tables are lookups per (field, value)."""
    import ast
    from pathlib import Path

    from assessments import vocabulary
    from assessments.risks import wording

    tables = {
        "nation": wording.NATION_NAMES,
        "sector": wording.WORKPLACE_NAMES,
        "highest_qualification": wording.QUALIFICATION_NAMES,
        "role_level": wording.ROLE_LEVEL_NAMES,
        "contract": wording.CONTRACT_NAMES,
        "learning_routes": wording.ROUTE_NAMES,
    }
    for key, table in tables.items():
        assert list(table) == list(vocabulary.choices(key)), key
        assert all(table[value] == vocabulary.phrase(key, value) for value in table), key
    assert all(wording.SECTOR_NAMES[v] == vocabulary.group_phrase("sector", v) for v in wording.SECTOR_NAMES)
    source = Path(wording.__file__).read_text(encoding="utf-8")
    assert not [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Dict)], (
        "a label table is written out in risks/wording.py again"
    )


def test_every_category_has_a_heading_a_person_reads_and_unknown_ones_raise():
    from assessments.risks import category_label

    for category in CATEGORIES:
        label = category_label(category)
        assert label[:1].isupper()
        assert "-" not in label
        assert label != category
    with pytest.raises(LookupError, match="no risk category 'made-up'"):
        category_label("made-up")
