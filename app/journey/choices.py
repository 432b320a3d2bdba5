"""Answer choices for the profile questions, taken from the ``assessments.profile`` types.

The values come from the ``Literal`` types with ``typing.get_args`` so the forms, the
domain model and the stored answers share one source of truth; only the wording people
read lives here. A test checks every value has a label.
"""

from __future__ import annotations

from typing import Any, get_args

from wtforms.fields.choices import SelectChoice

from assessments import framework as fw
from assessments import profile as pr

LABELS: dict[str, str] = {
    # Contract
    "full-time": "Full time",
    "part-time": "Part time",
    "compressed-hours": "Compressed hours",
    "job-share": "Job share",
    "shift-work": "Shift work",
    "bank-or-locum": "Bank or locum",
    "self-employed": "Self-employed or contractor",
    # Yes / no / support / unsure
    "yes": "Yes",
    "no": "No",
    "with-support": "Yes, with support",
    "unsure": "I do not know",
    # Nations
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    "outside-uk": "Outside the UK",
    # Sectors
    "nhs-acute": "NHS acute trust",
    "nhs-mental-health": "NHS mental health trust",
    "nhs-community": "NHS community services",
    "nhs-ambulance": "NHS ambulance service",
    "primary-care": "Primary care (for example general practice or pharmacy)",
    "integrated-care-board": "Integrated care board",
    "social-care": "Social care",
    "local-authority": "Local authority",
    "independent-sector": "Independent sector provider",
    "voluntary-sector": "Voluntary or community sector",
    "supplier": "Supplier to health and care",
    "academia": "University or research",
    "other": "Other",
    # Staff group
    "clinical": "Clinical (for example nurse, doctor, allied health professional, pharmacist)",
    "non-clinical": "Non-clinical (for example digital, data, management, administration)",
    # Role level
    "aspiring": "Not yet in a management role",
    "middle-manager": "Middle manager or team leader",
    "senior-manager": "Senior manager (for example head of service)",
    "director": "Director or deputy director",
    "board": "Board member or executive",
    # Qualifications
    "none": "No formal qualifications",
    "gcse": "GCSEs or equivalent",
    "a-level": "A levels or equivalent",
    "apprenticeship": "Apprenticeship",
    "degree": "Degree",
    "masters": "Master's degree",
    "doctorate": "Doctorate",
    # Learning routes
    "formal-education": "Formal education (college or university)",
    "employer-training": "Training from an employer",
    "self-taught": "Self-taught",
    "start-up": "Working in or founding a start-up",
    "hackathon": "Hackathons and similar events",
    "online-community": "Online communities (for example forums, open source, social media groups)",
    "professional-network": "Professional networks (for example Digital Health Networks, Shuri, CHIME)",
    # Funding
    "full": "Yes, in full",
    "partial": "Yes, in part",
    "unknown": "I do not know",
    # Equality: shared
    "prefer-not-to-say": "Prefer not to say",
    # Age
    "16-24": "16 to 24",
    "25-34": "25 to 34",
    "35-44": "35 to 44",
    "45-54": "45 to 54",
    "55-64": "55 to 64",
    "65-plus": "65 or over",
    # Sex
    "female": "Female",
    "male": "Male",
    # Sexual orientation
    "heterosexual": "Straight or heterosexual",
    "gay-or-lesbian": "Gay or lesbian",
    "bisexual": "Bisexual",
    # Ethnic group (broad harmonised groups)
    "asian": "Asian or Asian British",
    "black": "Black, Black British, Caribbean or African",
    "mixed": "Mixed or multiple ethnic groups",
    "white": "White",
    # Religion
    "no-religion": "No religion",
    "christian": "Christian",
    "buddhist": "Buddhist",
    "hindu": "Hindu",
    "jewish": "Jewish",
    "muslim": "Muslim",
    "sikh": "Sikh",
    # Disability
    "yes-a-lot": "Yes, limited a lot",
    "yes-a-little": "Yes, limited a little",
    # Unpaid care
    "1-19": "Yes, 1 to 19 hours a week",
    "20-34": "Yes, 20 to 34 hours a week",
    "35-49": "Yes, 35 to 49 hours a week",
    "50-plus": "Yes, 50 or more hours a week",
    # Socio-economic background
    "professional": "Professional or managerial occupation",
    "intermediate": "Intermediate occupation (for example clerical, sales, self-employed)",
    "working-class": "Routine or manual occupation, or long-term unemployed",
    "not-applicable": "Does not apply (for example I was not living in the UK)",
    # Marriage and civil partnership
    "married-or-civil-partnership": "Married or in a civil partnership",
    "neither": "Neither",
}

# Some values mean different things in different questions.
QUESTION_LABELS: dict[tuple[str, str], str] = {
    ("unpaid_care_hours", "no"): "No",
    ("role_level", "aspiring"): "Not yet in a management role",
    ("employer_funding", "none"): "No",
    ("highest_qualification", "none"): "No formal qualifications",
    ("sexual_orientation", "other"): "Another sexual orientation",
    ("ethnic_group", "other"): "Another ethnic group (for example Arab)",
    ("religion", "other"): "Another religion or belief",
    ("socio_economic_background", "other"): "Other, or I do not know",
    ("sector", "other"): "Another sector",
}

LITERALS: dict[str, Any] = {
    "contract": pr.Contract,
    "can_attend_in_person": pr.YesNoSupport,
    "nation": fw.Nation,
    "sector": fw.Sector,
    "employer_support": pr.YesNoUnsure,
    "staff_group": fw.StaffGroup,
    "role_level": fw.RoleLevel,
    "highest_qualification": fw.Qualification,
    "learning_routes": pr.LearningRoute,
    "employer_funding": pr.Funding,
    "age_band": pr.AgeBand,
    "sex": pr.Sex,
    "gender_same_as_birth": pr.YesNoPrefer,
    "sexual_orientation": pr.SexualOrientation,
    "ethnic_group": pr.EthnicGroup,
    "religion": pr.Religion,
    "disability": pr.Disability,
    "marriage_civil_partnership": pr.MarriageStatus,
    "pregnancy_maternity": pr.YesNoPrefer,
    "unpaid_care_hours": pr.UnpaidCare,
    "socio_economic_background": pr.SocioEconomic,
}


def label(question: str, value: str) -> str:
    return QUESTION_LABELS.get((question, value)) or LABELS.get(value) or value.replace("-", " ").capitalize()


def choices_for(question: str) -> list[SelectChoice]:
    """The choices for a question, in the order the domain type declares them."""
    return [SelectChoice(value, label(question, value)) for value in get_args(LITERALS[question])]
