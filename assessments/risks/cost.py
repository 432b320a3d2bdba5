"""Cost: fees a person would pay, costs that stack, unpublished fees and paid CPD."""

from __future__ import annotations

import math

from assessments.framework import Delivery, Framework
from assessments.profile import Profile
from assessments.results import Severity
from assessments.risk_catalogue import (
    COST_HIGH_GBP,
    COST_MEDIUM_GBP,
    ONGOING_YEARS,
    PAID_CPD_MEDIUM_HOURS,
)
from assessments.risks.membership import membership_missing
from assessments.risks.model import Finder, Finding, soften, undetermined
from assessments.risks.wording import (
    count,
    join,
    mid_sentence,
    money,
    num,
)


def _you_pay(profile: Profile, delivery: Delivery) -> str | None:
    """'all' or 'part' when you would pay fees yourself; None when you would not, or we don't know."""
    if delivery.fee_payer == "programme" or profile.employer_funding in (None, "unknown", "full"):
        return None
    return "all" if profile.employer_funding == "none" else "part"


def _funding_circumstance(profile: Profile, delivery: Delivery) -> str:
    if profile.employer_funding == "none":
        lead = "You told us your employer would not pay"
    else:
        lead = "You told us your employer would pay only part of the cost"
    if delivery.fee_payer == "employer":
        lead += ", but this programme expects the employer to pay"
    return lead


def _cost_severity(amount: float, share: str, delivery: Delivery) -> Severity:
    severity: Severity = (
        "high" if amount >= COST_HIGH_GBP else "medium" if amount >= COST_MEDIUM_GBP else "low"
    )
    if share == "part":
        severity = soften(severity)
    if delivery.bursaries:
        severity = soften(severity)
    if not delivery.fees_published and severity == "high":
        # The amount is CertReady's placeholder, not the provider's: worth checking, never a verdict.
        severity = "medium"
    return severity


def _cost_mitigations(profile: Profile, delivery: Delivery, *, course: bool) -> tuple[str, ...]:
    found: list[str] = []
    if delivery.bursaries:
        found.append("This programme offers bursaries: ask how to apply and when.")
    if course and profile.sector == "social-care":
        found.append(
            "In adult social care, ask whether the Learning and Development Support Scheme (LDSS) "
            "can reimburse part of the cost."
        )
    return tuple(found)


def recurring_costs(profile: Profile, framework: Framework) -> tuple[float, bool]:
    """Annual fees and whether a membership you don't hold is needed: what makes costs stack."""
    needs_membership = membership_missing(profile, framework)
    return framework.delivery.annual_fee_gbp, needs_membership


def _cost_to_self(profile: Profile, framework: Framework) -> Finding | None:
    delivery = framework.delivery
    share = _you_pay(profile, delivery)
    annual, needs_membership = recurring_costs(profile, framework)
    # Costs that recur or stack are the cost-stacking rule's; this one is a single payment.
    if share is None or delivery.fee_gbp <= 0 or annual > 0 or needs_membership:
        return None
    modelled = (
        "" if delivery.fees_published else " The provider does not publish it; this figure is modelled."
    )
    return Finding(
        _cost_severity(delivery.fee_gbp, share, delivery),
        f"A fee of {money(delivery.fee_gbp)}.{modelled}",
        f"{_funding_circumstance(profile, delivery)}, so you would pay "
        f"{'the' if share == 'all' else 'part of the'} {money(delivery.fee_gbp)} yourself.",
        _cost_mitigations(profile, delivery, course=True),
    )


def _cost_stacking(profile: Profile, framework: Framework) -> Finding | None:
    delivery = framework.delivery
    share = _you_pay(profile, delivery)
    annual, needs_membership = recurring_costs(profile, framework)
    if share is None or (annual <= 0 and not needs_membership):
        return None
    # Annual fees run for as long as you keep the credential: count the programme's years or
    # ONGOING_YEARS, whichever is longer.
    years = max(math.ceil(delivery.duration_months / 12), ONGOING_YEARS)
    total = delivery.fee_gbp + annual * years
    parts = []
    if delivery.fee_gbp > 0:
        parts.append(f"a fee of {money(delivery.fee_gbp)}")
    if annual > 0:
        parts.append(f"{money(annual)} a year ({money(total)} over {count(years, 'year')})")
    body = mid_sentence(framework.eligibility.membership_required or "")
    if needs_membership:
        parts.append(f"membership of {body}")
    modelled = (
        "" if delivery.fees_published else " The provider does not publish its fees; these are modelled."
    )
    membership_note = ""
    if needs_membership:
        membership_note = f" You also told us you do not belong to {body}."
    listed = join(parts)
    return Finding(
        _cost_severity(total, share, delivery),
        f"{listed[0].upper()}{listed[1:]}.{modelled}",
        f"{_funding_circumstance(profile, delivery)}, so these costs would be "
        f"{'yours' if share == 'all' else 'partly yours'}.{membership_note}",
        _cost_mitigations(profile, delivery, course=False),
    )


def _unpublished_fees(profile: Profile, framework: Framework) -> Finding | None:
    delivery = framework.delivery
    # An unknown fee is no worry to someone whose employer pays in full.
    if delivery.fees_published or delivery.fee_payer == "programme" or profile.employer_funding == "full":
        return None
    figures = [f"a fee of {money(delivery.fee_gbp)}"] if delivery.fee_gbp > 0 else []
    if delivery.annual_fee_gbp > 0:
        figures.append(f"{money(delivery.annual_fee_gbp)} a year")
    model = f" Our model uses {join(figures)}." if figures else ""
    requirement = f"Fees that the provider does not publish.{model}"
    if profile.employer_funding is None:
        return undetermined(requirement, "whether your employer would pay", "who would pay the fees")
    return Finding(
        "low",
        requirement,
        "You cannot yet tell what you would pay, so you cannot plan or ask for funding.",
    )


def _cpd_approved_providers(profile: Profile, framework: Framework) -> Finding | None:
    delivery = framework.delivery
    share = delivery.cpd_approved_provider_share
    paid_hours = delivery.cpd_hours_per_year * share
    paid_once = delivery.cpd_hours_once * share
    if (paid_hours <= 0 and paid_once <= 0) or profile.employer_funding not in ("none", "partial"):
        return None
    # CPD needed once (CHCIO's units within a year of passing) costs once, not every year: low.
    severity: Severity = "medium" if paid_hours >= PAID_CPD_MEDIUM_HOURS else "low"
    if profile.employer_funding == "partial":
        severity = soften(severity)
    parts = []
    if paid_hours > 0:
        yearly = num(delivery.cpd_hours_per_year)
        parts.append(f"about {count(paid_hours, 'hour')} a year of the {yearly} CPD hours")
    if paid_once > 0:
        parts.append(
            f"about {count(paid_once, 'hour')} of the {num(delivery.cpd_hours_once)} CPD hours needed once, "
            "to gain the award,"
        )
    listed = join(parts)
    employer = "would not pay" if profile.employer_funding == "none" else "would pay only part of the cost"
    share_source = framework.provenance_of("delivery.cpd_approved_provider_share")
    modelled = (
        " The provider does not publish this share; it is modelled."
        if share_source is not None and share_source.modelled is not None
        else ""
    )
    return Finding(
        severity,
        f"{listed[0].upper()}{listed[1:]} must come from paid, approved providers.{modelled}",
        f"You told us your employer {employer}, so you would buy this CPD yourself.",
    )


FINDERS: dict[str, Finder] = {
    "cost-to-self": _cost_to_self,
    "cost-stacking": _cost_stacking,
    "unpublished-fees": _unpublished_fees,
    "cpd-approved-providers": _cpd_approved_providers,
}
