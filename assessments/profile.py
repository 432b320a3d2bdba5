"""The participant profile: working pattern, context, background and equality answers.

Every key is optional except ``staff_group``. Unknown answers stay ``None`` and never
raise a flag by themselves. Equality answers (``EQUALITY_FIELDS``) are never read by
scoring or by the exclusion-risk rules; they exist only for consented, anonymous,
aggregate analysis. The format is documented in ``docs/profile-format.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assessments.errors import ProfileError, describe_validation_error
from assessments.framework import (
    Nation,
    Qualification,
    RoleLevel,
    Sector,
    StaffGroup,
    load_data_file,
)

Contract = Literal[
    "full-time", "part-time", "compressed-hours", "job-share", "shift-work", "bank-or-locum", "self-employed"
]
YesNoSupport = Literal["yes", "no", "with-support"]
YesNoUnsure = Literal["yes", "no", "unsure"]
LearningRoute = Literal[
    "formal-education",
    "apprenticeship",
    "employer-training",
    "self-taught",
    "start-up",
    "hackathon",
    "online-community",
    "professional-network",
]
Funding = Literal["full", "partial", "none", "unknown"]

PREFER_NOT = "prefer-not-to-say"
AgeBand = Literal["16-24", "25-34", "35-44", "45-54", "55-64", "65-plus", "prefer-not-to-say"]
Sex = Literal["female", "male", "prefer-not-to-say"]
YesNoPrefer = Literal["yes", "no", "prefer-not-to-say"]
SexualOrientation = Literal["heterosexual", "gay-or-lesbian", "bisexual", "other", "prefer-not-to-say"]
EthnicGroup = Literal["asian", "black", "mixed", "white", "other", "prefer-not-to-say"]
Religion = Literal[
    "no-religion",
    "christian",
    "buddhist",
    "hindu",
    "jewish",
    "muslim",
    "sikh",
    "other",
    "prefer-not-to-say",
]
Disability = Literal["yes-a-lot", "yes-a-little", "no", "prefer-not-to-say"]
UnpaidCare = Literal["no", "1-19", "20-34", "35-49", "50-plus", "prefer-not-to-say"]
SocioEconomic = Literal[
    "professional", "intermediate", "working-class", "other", "not-applicable", "prefer-not-to-say"
]
MarriageStatus = Literal["married-or-civil-partnership", "neither", "prefer-not-to-say"]

Hours = Annotated[float, Field(ge=0, le=100)]
Years = Annotated[float, Field(ge=0, le=60)]

WORKING_PATTERN_FIELDS = (
    "contract",
    "hours_per_week",
    "on_call",
    "caring_responsibilities",
    "study_hours_per_week_available",
    "study_leave_days_per_year",
    "can_attend_in_person",
    "max_travel_hours",
)
CONTEXT_FIELDS = ("nation", "employer_support", "digital_time_percent")
BACKGROUND_FIELDS = (
    "staff_group",
    "profession",
    "professional_registration",
    "sector",
    "role_level",
    "years_in_digital",
    "years_in_leadership",
    "highest_qualification",
    "learning_routes",
    "employer_funding",
    "memberships",
    "location",
    "needs_adjustments",
)
EQUALITY_FIELDS = (
    "age_band",
    "sex",
    "gender_same_as_birth",
    "sexual_orientation",
    "ethnic_group",
    "religion",
    "disability",
    "marriage_civil_partnership",
    "pregnancy_maternity",
    "unpaid_care_hours",
    "socio_economic_background",
)
FULL_TIME_HOURS = 37.5
"""Agenda for Change full-time hours, used to pro-rate part-time experience."""


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    # Working pattern
    contract: Contract | None = None
    hours_per_week: Annotated[float, Field(gt=0, le=100)] | None = None
    on_call: bool | None = None
    caring_responsibilities: bool | None = None
    study_hours_per_week_available: Hours | None = None
    study_leave_days_per_year: Annotated[float, Field(ge=0, le=365)] | None = None
    can_attend_in_person: YesNoSupport | None = None
    max_travel_hours: Annotated[float, Field(ge=0, le=24)] | None = None
    # Context
    nation: Nation | None = None
    employer_support: YesNoUnsure | None = None
    digital_time_percent: Annotated[float, Field(ge=0, le=100)] | None = None
    # Background
    staff_group: StaffGroup
    profession: Annotated[str, Field(max_length=120)] | None = None
    professional_registration: bool | None = None
    sector: Sector | None = None
    role_level: RoleLevel | None = None
    years_in_digital: Years | None = None
    years_in_leadership: Years | None = None
    highest_qualification: Qualification | None = None
    learning_routes: tuple[LearningRoute, ...] | None = None
    employer_funding: Funding | None = None
    memberships: tuple[Annotated[str, Field(min_length=1, max_length=60)], ...] | None = None
    location: Annotated[str, Field(max_length=120)] | None = None
    needs_adjustments: bool | None = None
    # Equality information: optional, never used for readiness or flags.
    age_band: AgeBand | None = None
    sex: Sex | None = None
    gender_same_as_birth: YesNoPrefer | None = None
    sexual_orientation: SexualOrientation | None = None
    ethnic_group: EthnicGroup | None = None
    religion: Religion | None = None
    disability: Disability | None = None
    marriage_civil_partnership: MarriageStatus | None = None
    pregnancy_maternity: YesNoPrefer | None = None
    unpaid_care_hours: UnpaidCare | None = None
    socio_economic_background: SocioEconomic | None = None

    @property
    def fte(self) -> float | None:
        """Share of full-time hours worked, when the hours are known."""
        if self.hours_per_week is None:
            return None
        return min(1.0, self.hours_per_week / FULL_TIME_HOURS)

    def without_equality(self) -> Profile:
        """The same profile with every equality answer removed."""
        return self.model_copy(update=dict.fromkeys(EQUALITY_FIELDS))

    def answers(self) -> dict[str, Any]:
        """The answered keys only, as plain JSON values."""
        return self.model_dump(mode="json", exclude_none=True)


def parse_profile(data: Any, name: str = "profile") -> Profile:
    if not isinstance(data, dict):
        raise ProfileError([f"{name}: a profile must be a mapping of keys to values"])
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        raise ProfileError([f"{name}: {message}" for message in describe_validation_error(error)]) from None


def load_profile(path: Path | str) -> Profile:
    """Load a profile from a YAML or JSON file."""
    path = Path(path)
    return parse_profile(load_data_file(path, ProfileError), path.name)
