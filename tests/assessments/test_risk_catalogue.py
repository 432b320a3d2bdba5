"""The rule catalogue is the one place a rule is declared; the rules page is generated from it."""

from assessments import risks
from assessments.risks import document
from assessments.risks.catalogue import CATEGORIES, RULE_INFO


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
