"""The participant profile: working pattern, context, background and equality answers.

Every key is optional except ``staff_group``. Unknown answers stay ``None`` and never
raise a flag by themselves. Equality answers (``EQUALITY_FIELDS``) are never read by
scoring or by the exclusion-risk rules; they exist only for consented, anonymous,
aggregate analysis. Each answer's type, choices and bounds are declared once in
``assessments.vocabulary``; the format is documented in ``docs/profile-format.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assessments import vocabulary
from assessments.errors import ProfileError, describe_validation_error
from assessments.framework import load_data_file

PREFER_NOT = vocabulary.PREFER_NOT


def _number(key: str) -> Any:
    """A number answer's type with its declared bounds."""
    declared = vocabulary.answer(key)
    return Annotated[float, Field(ge=declared.low, le=declared.high)]


def _text(key: str) -> Any:
    return Annotated[str, Field(max_length=vocabulary.answer(key).max_length)]


def _item(key: str) -> Any:
    return Annotated[str, Field(min_length=1, max_length=vocabulary.answer(key).max_length)]


# Each answer's type comes from its declaration in ``assessments.vocabulary``. A type checker
# cannot read a computed ``Literal``, so it is shown the same values written out below;
# ``tests/assessments/test_vocabulary.py`` checks they equal the declaration.
if TYPE_CHECKING:  # pragma: no cover
    Contract = Literal[
        "full-time",
        "part-time",
        "compressed-hours",
        "job-share",
        "shift-work",
        "bank-or-locum",
        "self-employed",
    ]  # contract
    CanAttend = Literal["yes", "no", "with-support"]  # can_attend_in_person
    Nation = Literal["england", "wales", "scotland", "northern-ireland", "outside-uk"]  # nation
    EmployerSupport = Literal["yes", "no", "unsure"]  # employer_support
    StaffGroup = Literal["clinical", "non-clinical"]  # staff_group
    Sector = Literal[
        "nhs-acute",
        "nhs-mental-health",
        "nhs-community",
        "nhs-ambulance",
        "primary-care",
        "integrated-care-board",
        "social-care",
        "local-authority",
        "independent-sector",
        "voluntary-sector",
        "supplier",
        "academia",
        "other",
    ]  # sector
    RoleLevel = Literal["aspiring", "middle-manager", "senior-manager", "director", "board"]  # role_level
    Qualification = Literal[
        "none", "level-1-2", "level-3", "level-4", "level-5", "level-6", "level-7", "level-8"
    ]  # highest_qualification
    LearningRoute = Literal[
        "formal-education",
        "apprenticeship",
        "employer-training",
        "self-taught",
        "start-up",
        "hackathon",
        "online-community",
        "professional-network",
    ]  # learning_routes
    Funding = Literal["full", "partial", "none", "unknown"]  # employer_funding
    AgeBand = Literal["16-24", "25-34", "35-44", "45-54", "55-64", "65-plus", "prefer-not-to-say"]  # age_band
    Sex = Literal["female", "male", "prefer-not-to-say"]  # sex
    GenderSame = Literal["yes", "no", "prefer-not-to-say"]  # gender_same_as_birth
    SexualOrientation = Literal[
        "heterosexual", "gay-or-lesbian", "bisexual", "other", "prefer-not-to-say"
    ]  # sexual_orientation
    EthnicGroup = Literal["asian", "black", "mixed", "white", "other", "prefer-not-to-say"]  # ethnic_group
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
    ]  # religion
    Disability = Literal["yes-a-lot", "yes-a-little", "no", "prefer-not-to-say"]  # disability
    MarriageStatus = Literal[
        "married-or-civil-partnership", "neither", "prefer-not-to-say"
    ]  # marriage_civil_partnership
    Pregnancy = Literal["yes", "no", "prefer-not-to-say"]  # pregnancy_maternity
    UnpaidCare = Literal["no", "1-19", "20-34", "35-49", "50-plus", "prefer-not-to-say"]  # unpaid_care_hours
    SocioEconomic = Literal[
        "professional", "intermediate", "working-class", "other", "not-applicable", "prefer-not-to-say"
    ]  # socio_economic_background
    Profession: TypeAlias = str
    Location: TypeAlias = str
    Membership: TypeAlias = str
    HoursPerWeek: TypeAlias = float
    StudyHours: TypeAlias = float
    StudyLeaveDays: TypeAlias = float
    TravelHours: TypeAlias = float
    DigitalPercent: TypeAlias = float
    YearsDigital: TypeAlias = float
    YearsLeadership: TypeAlias = float
else:
    Contract = vocabulary.literal("contract")
    CanAttend = vocabulary.literal("can_attend_in_person")
    Nation = vocabulary.literal("nation")
    EmployerSupport = vocabulary.literal("employer_support")
    StaffGroup = vocabulary.literal("staff_group")
    Sector = vocabulary.literal("sector")
    RoleLevel = vocabulary.literal("role_level")
    Qualification = vocabulary.literal("highest_qualification")
    LearningRoute = vocabulary.literal("learning_routes")
    Funding = vocabulary.literal("employer_funding")
    AgeBand = vocabulary.literal("age_band")
    Sex = vocabulary.literal("sex")
    GenderSame = vocabulary.literal("gender_same_as_birth")
    SexualOrientation = vocabulary.literal("sexual_orientation")
    EthnicGroup = vocabulary.literal("ethnic_group")
    Religion = vocabulary.literal("religion")
    Disability = vocabulary.literal("disability")
    MarriageStatus = vocabulary.literal("marriage_civil_partnership")
    Pregnancy = vocabulary.literal("pregnancy_maternity")
    UnpaidCare = vocabulary.literal("unpaid_care_hours")
    SocioEconomic = vocabulary.literal("socio_economic_background")
    Profession, Location, Membership = _text("profession"), _text("location"), _item("memberships")
    HoursPerWeek = _number("hours_per_week")
    StudyHours = _number("study_hours_per_week_available")
    StudyLeaveDays = _number("study_leave_days_per_year")
    TravelHours = _number("max_travel_hours")
    DigitalPercent = _number("digital_time_percent")
    YearsDigital = _number("years_in_digital")
    YearsLeadership = _number("years_in_leadership")

WORKING_PATTERN_FIELDS = vocabulary.keys("working-pattern")
CONTEXT_FIELDS = vocabulary.keys("context")
BACKGROUND_FIELDS = vocabulary.keys("background")
EQUALITY_FIELDS = vocabulary.keys("equality")
FULL_TIME_HOURS = vocabulary.FULL_TIME_HOURS


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    # Working pattern
    contract: Contract | None = None
    hours_per_week: HoursPerWeek | None = None
    on_call: bool | None = None
    caring_responsibilities: bool | None = None
    study_hours_per_week_available: StudyHours | None = None
    study_leave_days_per_year: StudyLeaveDays | None = None
    can_attend_in_person: CanAttend | None = None
    max_travel_hours: TravelHours | None = None
    # Context
    nation: Nation | None = None
    employer_support: EmployerSupport | None = None
    digital_time_percent: DigitalPercent | None = None
    # Background
    staff_group: StaffGroup
    profession: Profession | None = None
    professional_registration: bool | None = None
    sector: Sector | None = None
    role_level: RoleLevel | None = None
    years_in_digital: YearsDigital | None = None
    years_in_leadership: YearsLeadership | None = None
    highest_qualification: Qualification | None = None
    learning_routes: tuple[LearningRoute, ...] | None = None
    employer_funding: Funding | None = None
    memberships: Annotated[tuple[Membership, ...], Field(max_length=10)] | None = None
    location: Location | None = None
    needs_adjustments: bool | None = None
    # Equality information: optional, never used for readiness or flags.
    age_band: AgeBand | None = None
    sex: Sex | None = None
    gender_same_as_birth: GenderSame | None = None
    sexual_orientation: SexualOrientation | None = None
    ethnic_group: EthnicGroup | None = None
    religion: Religion | None = None
    disability: Disability | None = None
    marriage_civil_partnership: MarriageStatus | None = None
    pregnancy_maternity: Pregnancy | None = None
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
