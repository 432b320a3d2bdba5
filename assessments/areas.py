"""The shared capability areas every criterion maps onto.

Frameworks describe leadership in their own words; mapping each criterion onto one of
these ten areas is what lets CertReady compare programmes and estimate a person's
readiness for a programme they have not rated themselves against.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CapabilityArea:
    id: str
    title: str
    description: str


CAPABILITY_AREAS: dict[str, CapabilityArea] = {
    area.id: area
    for area in (
        CapabilityArea(
            "strategy",
            "Strategy and vision",
            "Setting a digital direction that serves the organisation's and the system's goals.",
        ),
        CapabilityArea(
            "leadership",
            "Leading people",
            "Engaging, developing and looking after teams; personal leadership and professional practice.",
        ),
        CapabilityArea(
            "change",
            "Change and transformation",
            "Leading people and services through technology-enabled change and its adoption.",
        ),
        CapabilityArea(
            "clinical-safety",
            "Clinical safety and quality",
            "Clinical risk management of health IT, patient safety and quality improvement.",
        ),
        CapabilityArea(
            "data",
            "Data, information and analytics",
            "Information governance in use, data quality, analytics and using evidence to decide.",
        ),
        CapabilityArea(
            "technology",
            "Technology and architecture",
            "Systems, infrastructure, interoperability, cyber security and emerging technology.",
        ),
        CapabilityArea(
            "governance",
            "Governance, ethics and law",
            "Assurance, information governance, regulation, ethics and professional standards.",
        ),
        CapabilityArea(
            "finance",
            "Finance and commercial",
            "Business cases, budgets, procurement, contracts and benefits realisation.",
        ),
        CapabilityArea(
            "user-centred",
            "User-centred design",
            "Designing with patients, citizens and staff; accessibility and digital inclusion.",
        ),
        CapabilityArea(
            "partnerships",
            "Partnerships and influence",
            "Working across organisations, sectors and suppliers; influencing without authority.",
        ),
    )
}
