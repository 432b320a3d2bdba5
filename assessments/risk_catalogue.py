"""The exclusion-risk catalogue as data: every rule's metadata and every modelled threshold.

This module only declares. The rule logic lives in one module per category (``time``,
``attendance``, ``travel`` …) and is joined to these declarations by id in
``assessments.risks``; ``docs/risk-rules.md`` is generated from them
(``python -m assessments.risks.document``), so the page and the code cannot drift apart.

The order of ``RULE_INFO`` is the catalogue order: flags of one severity are listed in it,
and the designer's stored flag masks number rules by it, so new rules go at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments import vocabulary
from assessments.geo import AVERAGE_SPEED_KMH, DAY_TRIP_HOURS, DETOUR_FACTOR
from assessments.vocabulary import FULL_TIME_HOURS

CATEGORY_LABELS: dict[str, str] = {
    "time-commitment": "Time commitment",
    "attendance": "Attendance",
    "travel": "Travel",
    "cost": "Cost",
    "eligibility-sector": "Who can apply: sector",
    "eligibility-staff-group": "Who can apply: staff group",
    "eligibility-registration": "Who can apply: professional registration",
    "eligibility-qualification": "Who can apply: qualifications",
    "eligibility-experience": "Who can apply: experience",
    "eligibility-membership": "Who can apply: professional body membership",
    "sponsorship": "Employer sponsorship",
    "jurisdiction": "Where the programme runs",
    "prior-learning-recognition": "Recognition of learning without a certificate",
    "accessibility": "Access and adjustments",
}
"""Each category of requirement, declared once with the heading a person reads."""
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_LABELS)


HIGH_PREFIX = "high:"
"""Flag keys for high-severity flags only: ``high:<category>`` or ``high:<rule id>``."""


def high(key: str) -> str:
    """The flag key counting only high-severity flags for a category or rule."""
    return f"{HIGH_PREFIX}{key}"


ELIGIBILITY_CATEGORY_PREFIX = "eligibility-"
"""A rule whose category starts with this decides who may apply, not how hard it would be."""


def decides_eligibility(rule_id: str, category: str) -> bool:
    """Whether a flag of this rule speaks to who may apply (an entry requirement).

    Every rule in an ``eligibility-*`` category does, and the few whose ``RuleInfo`` says
    ``entry_requirement`` although their category is named for something else.
    """
    return category.startswith(ELIGIBILITY_CATEGORY_PREFIX) or rule_id in ENTRY_REQUIREMENTS


def category_label(category: str) -> str:
    """The heading a person reads for a category; a category the catalogue lacks raises."""
    try:
        return CATEGORY_LABELS[category]
    except KeyError:
        raise LookupError(f"no risk category {category!r} in the catalogue") from None


UK_NATIONS: tuple[str, ...] = tuple(value for value in vocabulary.choices("nation") if value != "outside-uk")
INFORMAL_ROUTES: tuple[str, ...] = vocabulary.INFORMAL_ROUTES
"""Learning routes that no certificate shows (declared in the vocabulary): what recognition of prior
learning is for."""
REDUCED_HOURS_CONTRACTS: tuple[str, ...] = ("part-time", "job-share")
"""Contracts for fewer than full-time hours. Compressed hours are full-time hours in fewer, longer
days, so they count as reduced only when the weekly hours say so (see ``shared.reduced_hours``)."""

PTWR = "under the Part-time Workers Regulations part-time staff should have equal access to training"
"""The legal point every part-time mitigation makes."""


# --- Modelled thresholds -------------------------------------------------------------------
# None of these numbers is published by a provider or a regulator. They are our model of
# "enough to matter", chosen from the reference notes (section D), and listed in
# docs/risk-rules.md (from ``THRESHOLDS`` below) so a programme designer can see and challenge them.

HOURS_PER_DAY = FULL_TIME_HOURS / 5
"""An in-person day counts as a working day: 7.5 hours (modelled)."""
WEEKS_PER_MONTH = 52 / 12

STUDY_SHORTFALL_MEDIUM = 1.25
"""Weekly load at least 1.25 × the study time you have: medium (modelled)."""
STUDY_SHORTFALL_HIGH = 2.0
"""Weekly load at least twice the study time you have: high (modelled)."""

CONTRACTED_SHARE_MEDIUM = 0.25
"""Load above 25% of contracted hours: medium (the reference's modelled threshold)."""
CONTRACTED_SHARE_HIGH = 0.5
"""Load above 50% of contracted hours: high (modelled)."""

TRAVEL_HOURS_THRESHOLD = 2.0
"""Named venues and a longest journey under 2 hours each way: a travel risk (modelled: we do
not know where you live, only how far you could go)."""

COST_MEDIUM_GBP = 250.0
"""Paying £250 or more yourself: medium (modelled)."""
COST_HIGH_GBP = 1000.0
"""Paying £1,000 or more yourself: high (modelled; £1,000 is also the LDSS reclaim cap)."""
ONGOING_YEARS = 3
"""Annual fees are counted for at least three years, since they continue while you hold the
credential (modelled on the 3-year HIMSS renewal cycle)."""
PAID_CPD_MEDIUM_HOURS = 10.0
"""Ten or more hours a year of CPD that must be bought from approved providers: medium (modelled)."""

EXPERIENCE_NEAR_MISS_YEARS = 1.0
"""Within a year of the requirement: low, since you may meet it by the time you apply (modelled)."""
EXPERIENCE_HIGH_SHORTFALL = 0.5
"""Short by more than half of the years asked for: high (modelled)."""

INFORMAL_SHARE_THRESHOLD = 0.5
"""More than half of your learning routes informal: "mostly informal" (modelled)."""


@dataclass(frozen=True)
class Threshold:
    """One modelled number, as the rules page shows it."""

    name: str
    shown: str
    """The value in words, e.g. "1.25×, 2× the study time you have"."""
    used_by: str


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(
        "`HOURS_PER_DAY`",
        f"{HOURS_PER_DAY:g} (a {FULL_TIME_HOURS:g}-hour week over 5 days)",
        "an in-person day's hours in the weekly load",
    ),
    Threshold(
        "weekly load",
        f"study hours a week + in-person days × {HOURS_PER_DAY:g} ÷ (months × 52/12); programmes with no "
        "fixed length count study hours only",
        "study-time, time-vs-contracted-hours",
    ),
    Threshold(
        "`STUDY_SHORTFALL_MEDIUM`, `STUDY_SHORTFALL_HIGH`",
        f"{STUDY_SHORTFALL_MEDIUM:g}×, {STUDY_SHORTFALL_HIGH:g}× the study time you have",
        "study-time",
    ),
    Threshold(
        "`CONTRACTED_SHARE_MEDIUM`, `CONTRACTED_SHARE_HIGH`",
        f"{CONTRACTED_SHARE_MEDIUM:.0%} (the research notes' threshold), {CONTRACTED_SHARE_HIGH:.0%} of "
        "contracted hours",
        "time-vs-contracted-hours",
    ),
    Threshold(
        "`TRAVEL_HOURS_THRESHOLD`",
        f"{TRAVEL_HOURS_THRESHOLD:g} hours each way, used only when we cannot place you or the venues",
        "venue-travel",
    ),
    Threshold(
        "journey time",
        f"straight-line distance × {DETOUR_FACTOR:g} (`DETOUR_FACTOR`) ÷ {AVERAGE_SPEED_KMH:g} km/h "
        "(`AVERAGE_SPEED_KMH`), from where your location places you (a UK town, or a postcode area's "
        "post town: approximate) to each forum's nearest town",
        "venue-travel, residential-stays",
    ),
    Threshold(
        "`DAY_TRIP_HOURS`",
        f"{DAY_TRIP_HOURS:g} hours each way: further than this, a forum needs a night away",
        "residential-stays",
    ),
    Threshold(
        "`VENUE_NATIONS`",
        "a short list of UK cities and their nation, used only when a framework gives no `venue_cities`; "
        'a venue with no city we recognise is unknown, never "elsewhere"',
        "venue-travel",
    ),
    Threshold(
        "`COST_MEDIUM_GBP`, `COST_HIGH_GBP`",
        f"£{COST_MEDIUM_GBP:,.0f}, £{COST_HIGH_GBP:,.0f} (also the LDSS reclaim cap)",
        "cost-to-self, cost-stacking",
    ),
    Threshold(
        "`ONGOING_YEARS`",
        f"annual fees counted for at least {ONGOING_YEARS} years (the HIMSS renewal cycle), or the "
        "programme's length if longer",
        "cost-stacking",
    ),
    Threshold("`PAID_CPD_MEDIUM_HOURS`", f"{PAID_CPD_MEDIUM_HOURS:g} hours a year", "cpd-approved-providers"),
    Threshold(
        "`EXPERIENCE_NEAR_MISS_YEARS`, `EXPERIENCE_HIGH_SHORTFALL`",
        f"within {EXPERIENCE_NEAR_MISS_YEARS:g} year: low; short by more than half: high",
        "years-in-digital, years-in-leadership",
    ),
    Threshold(
        "`INFORMAL_SHARE_THRESHOLD`",
        "more than half of your learning routes",
        "informal-learning-not-recognised",
    ),
)


# --- The rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is, reads and says, apart from how it decides."""

    id: str
    category: str
    title: str
    rationale: str
    """Why the collision can shut someone out, in plain words; shown as the flag's explanation."""
    reads: tuple[str, ...]
    """The framework keys the rule reads, e.g. ``delivery.study_hours_per_week``."""
    profile_fields: tuple[str, ...]
    """Every profile answer the rule may read (never an equality answer)."""
    mitigations: tuple[str, ...]
    """General help, shown after any mitigations specific to the programme and the person."""
    rests_on: tuple[str, ...]
    """The programme figures a flag's severity rests on. Where the framework marks every one of them
    modelled (its ``provenance``), the flag says so, with the file's reason, and is never high."""
    fires: str
    """For the rules page: when the rule fires, at which severity (Markdown)."""
    helps: str
    """For the rules page: the mitigations in short (Markdown)."""
    entry_requirement: bool = False
    """The rule decides who may apply although its category is named for something else: where the
    programme runs (the DHLP is for NHS staff in England; the Topol Fellowship's places outside
    England are sponsored ones) and what the employer must commit before you can apply (the DHLP's
    executive sponsor, the Topol Fellowship's protected time). Categories stay as they are: the
    designer's flag keys are built from them. Rules in ``eligibility-*`` categories always decide."""


RULE_INFO: tuple[RuleInfo, ...] = (
    RuleInfo(
        id="study-time",
        category="time-commitment",
        title="Study time needed is more than the time you have",
        rationale=(
            "Programmes that expect more study time than people can find lose part-time workers, "
            "carers and people with heavy clinical rotas first, however capable they are."
        ),
        reads=(
            "delivery.study_hours_per_week",
            "delivery.in_person_days",
            "delivery.duration_months",
            "delivery.part_time_pathway",
            "delivery.remote_attendance_option",
        ),
        profile_fields=("study_hours_per_week_available", "contract", "hours_per_week"),
        mitigations=(("Agree protected study time or study leave with your manager before you apply."),),
        rests_on=("delivery.study_hours_per_week", "delivery.in_person_days"),
        fires=(
            "the weekly load (below) is more than the study time you have. **High** at twice your "
            "time or more (or none), **medium** at 1.25×, otherwise **low**; a part-time pathway "
            "softens it"
        ),
        helps=(
            '"This programme has a part-time pathway: ask about it" when there is one; otherwise ask '
            "to spread study over longer (with the Part-time Workers Regulations for part-time "
            "staff); plan in-person days early; remote joining; agree protected time"
        ),
    ),
    RuleInfo(
        id="time-vs-contracted-hours",
        category="time-commitment",
        title="Study load is a large share of your contracted hours",
        rationale=(
            "When you have not told us how much study time you have, we compare the load with your "
            "contracted hours. A load that is a quarter or more of a part-time week is hard to fit "
            "around work, and it falls hardest on the people who chose fewer hours because of care "
            "or health."
        ),
        reads=(
            "delivery.study_hours_per_week",
            "delivery.in_person_days",
            "delivery.duration_months",
            "delivery.part_time_pathway",
            "delivery.remote_attendance_option",
        ),
        profile_fields=("contract", "hours_per_week", "study_hours_per_week_available"),
        mitigations=("Agree protected study time with your manager, in hours, before you apply.",),
        rests_on=("delivery.study_hours_per_week", "delivery.in_person_days"),
        fires=(
            "only when you have *not* told us your study time and you work fewer than 37.5 hours a week "
            "(or, hours unknown, part time or in a job share; compressed hours on full-time hours are "
            "full time), and the load is more than 25% of your contracted hours: **medium**; more "
            "than 50%: **high**"
        ),
        helps="as study-time; agree protected time in hours",
    ),
    RuleInfo(
        id="study-leave-days",
        category="time-commitment",
        title="In-person days are more than your study leave",
        rationale=(
            "In-person days come out of study leave or annual leave. Where study leave is short, "
            "people use holiday or unpaid days, which those with caring or money pressures cannot do."
        ),
        reads=(
            "delivery.format",
            "delivery.in_person_days",
            "delivery.residential",
            "delivery.duration_months",
            "delivery.remote_attendance_option",
            "eligibility.sponsor_required",
        ),
        profile_fields=("study_leave_days_per_year", "employer_support"),
        mitigations=(
            ("Ask your employer for extra study leave for the programme's fixed days before you apply."),
        ),
        rests_on=("delivery.in_person_days",),
        fires=(
            "in-person days a year are more than your study leave: **medium**, or **low** if short "
            "by a day or less; silent where the programme requires a sponsor (who commits to release "
            "you for the sessions) and your employer would back you"
        ),
        helps="ask the sponsor (if one is required) to release you; ask for extra study leave",
    ),
    RuleInfo(
        id="in-person-attendance",
        category="attendance",
        title="In-person attendance you cannot make",
        rationale=(
            "Compulsory in-person days shut out people who cannot travel or attend without support. "
            "Education providers have an anticipatory duty under the Equality Act 2010 to plan "
            "adjustments in advance."
        ),
        reads=(
            "delivery.format",
            "delivery.in_person_days",
            "delivery.residential",
            "delivery.venues",
            "delivery.venue_cities",
            "delivery.reasonable_adjustments",
            "delivery.remote_attendance_option",
        ),
        profile_fields=("can_attend_in_person",),
        mitigations=(("Ask the provider before you apply what happens if you miss an in-person day."),),
        rests_on=("delivery.format", "delivery.in_person_days"),
        fires=(
            "in-person teaching (not exams) and you answered **no** (high) or **with support** "
            "(medium); softened by adjustments and remote attendance"
        ),
        helps=(
            "remote joining; the provider's adjustments, or the Equality Act duty when none are "
            "published; ask what happens if you miss a day"
        ),
    ),
    RuleInfo(
        id="residential-stays",
        category="attendance",
        title="Overnight stays and caring responsibilities",
        rationale=(
            "Residential blocks, and venues too far away for a day trip, mean nights away from home. "
            "Carers often cannot arrange or afford overnight cover, so these exclude them unless "
            "there is another way to take part."
        ),
        reads=(
            "delivery.format",
            "delivery.residential",
            "delivery.in_person_days",
            "delivery.venues",
            "delivery.venue_cities",
            "delivery.reasonable_adjustments",
            "delivery.remote_attendance_option",
        ),
        profile_fields=("caring_responsibilities", "location"),
        mitigations=(
            "Ask whether you can attend the daytime sessions without staying overnight.",
            ("Ask whether the provider or your employer pays for replacement care while you are away."),
        ),
        rests_on=("delivery.residential",),
        fires=(
            "you have caring responsibilities and the programme is residential: **high** (medium with "
            "adjustments, low with remote attendance); or it is not, but a forum's nearest town is "
            "more than a day trip from where you live (`DAY_TRIP_HOURS`, modelled journey): **medium** "
            "(never high: the journey is modelled); or we cannot place you and the forums are in "
            "several cities (as on the DHLP): **undetermined**, check it"
        ),
        helps="remote joining; attend without staying overnight; replacement care costs",
    ),
    RuleInfo(
        id="fixed-dates-vs-rota",
        category="attendance",
        title="Fixed in-person dates and a rota or on-call work",
        rationale=(
            "Fixed dates clash with rotas and on-call duties that are set weeks ahead; bank and "
            "locum staff also lose pay for every shift they give up."
        ),
        reads=(
            "delivery.format",
            "delivery.in_person_days",
            "delivery.residential",
            "delivery.venues",
            "delivery.venue_cities",
            "delivery.remote_attendance_option",
        ),
        profile_fields=("on_call", "contract"),
        mitigations=(
            (
                "Ask for all the in-person dates before you apply and give them to your rota "
                "co-ordinator early."
            ),
        ),
        rests_on=("delivery.format", "delivery.in_person_days"),
        fires=(
            "in-person teaching and you are on call, or work shifts or bank/locum: **medium** (low "
            "with remote attendance); you work compressed hours (fewer, longer days): **low**"
        ),
        helps=(
            "get all dates early for the rota; lost shifts for bank and locum staff; moving a "
            "compressed non-working day; remote joining"
        ),
    ),
    RuleInfo(
        id="venue-travel",
        category="travel",
        title="Venues further than you can travel",
        rationale=(
            "In-person days at a few named cities favour people who live near them. Journey times "
            "are modelled from straight-line distances, so this flag is an estimate and never high."
        ),
        reads=(
            "delivery.format",
            "delivery.in_person_days",
            "delivery.residential",
            "delivery.venues",
            "delivery.venue_cities",
            "delivery.remote_attendance_option",
            "delivery.reasonable_adjustments",
        ),
        profile_fields=("max_travel_hours", "nation", "location"),
        mitigations=(
            "Ask whether travel and accommodation are paid, and book early.",
            "Ask whether you can attend the venue nearest to you for every session.",
        ),
        rests_on=(),
        fires=(
            "where we can place you (`location`) and the venues (`venue_cities`): a forum you must "
            "attend is, at its nearest town, further than your `max_travel_hours` (modelled journey, "
            "see below): **medium**. Otherwise, as an estimate: your longest journey is under 2 hours, "
            "or every venue is in another nation: **medium**. Never high (modelled); remote "
            "attendance softens"
        ),
        helps=("remote joining; travel adjustments; paid travel and accommodation; nearest venue"),
    ),
    RuleInfo(
        id="cost-to-self",
        category="cost",
        title="A fee you would pay yourself",
        rationale=(
            "Self-funded fees exclude people on lower pay and people whose employers have no "
            "training budget, such as small care providers and the self-employed."
        ),
        reads=(
            "delivery.fee_gbp",
            "delivery.annual_fee_gbp",
            "delivery.fee_payer",
            "delivery.fees_published",
            "delivery.bursaries",
            "eligibility.membership_required",
            "eligibility.membership_bodies",
            "eligibility.membership_other_bodies",
        ),
        profile_fields=("employer_funding", "memberships", "sector"),
        mitigations=(
            ("Ask your employer about a training budget or a learning agreement before you apply."),
            "Ask the provider whether fees can be paid in instalments.",
        ),
        rests_on=("delivery.fee_gbp",),
        fires=(
            "a one-off fee (no annual fee or missing membership: those go to cost-stacking) that you "
            "would pay because your employer would not (or would only partly) pay, and the programme "
            "does not. **High** from £1,000, **medium** from £250, otherwise **low**; partial "
            "funding and bursaries soften; a modelled (unpublished) fee is never **high**"
        ),
        helps="bursaries; LDSS in adult social care; employer training budget; instalments",
    ),
    RuleInfo(
        id="cost-stacking",
        category="cost",
        title="Fees, subscriptions and memberships that add up",
        rationale=(
            "An application fee looks small until annual fees and a required membership are added. "
            "Stacked costs fall on the person year after year, and hit those without employer "
            "funding hardest."
        ),
        reads=(
            "delivery.fee_gbp",
            "delivery.annual_fee_gbp",
            "delivery.duration_months",
            "delivery.fee_payer",
            "delivery.fees_published",
            "delivery.bursaries",
            "eligibility.membership_required",
            "eligibility.membership_bodies",
            "eligibility.membership_other_bodies",
        ),
        profile_fields=("employer_funding", "memberships"),
        mitigations=(
            ("Ask your employer whether it pays professional subscriptions; some NHS employers do."),
            ("Check whether professional subscriptions qualify for tax relief (HMRC's approved list)."),
        ),
        rests_on=("delivery.fee_gbp", "delivery.annual_fee_gbp"),
        fires=(
            "there is an annual fee or a membership you told us you do not hold, and you would pay: "
            "fee + annual fee × years (at least 3), same thresholds as cost-to-self"
        ),
        helps=("bursaries; employer-paid subscriptions; tax relief on professional subscriptions"),
    ),
    RuleInfo(
        id="unpublished-fees",
        category="cost",
        title="Fees the provider does not publish",
        rationale=(
            "When fees are not published, people cannot plan or ask an employer for funding, and "
            "those who cannot risk an unknown cost do not apply. It is shown, at low severity, to "
            "everyone who might pay: not to a person whose employer pays in full."
        ),
        reads=(
            "delivery.fees_published",
            "delivery.fee_payer",
            "delivery.fee_gbp",
            "delivery.annual_fee_gbp",
        ),
        profile_fields=("employer_funding",),
        mitigations=(
            ("Ask the provider for the full cost in writing: application, exam, annual and renewal fees."),
            "Ask your employer to agree funding before you commit.",
        ),
        rests_on=(),
        fires=(
            "the provider publishes no fees, the programme does not pay them and your employer would "
            "not pay in full: **low**; not said who would pay: **undetermined**"
        ),
        helps="ask for the full cost in writing; agree funding first",
    ),
    RuleInfo(
        id="cpd-approved-providers",
        category="cost",
        title="CPD that must be bought from approved providers",
        rationale=(
            "When renewal CPD must come from paid, approved providers, free learning at work, in "
            "communities or online does not count, so keeping the credential costs money every year."
        ),
        reads=(
            "delivery.cpd_hours_per_year",
            "delivery.cpd_hours_once",
            "delivery.cpd_approved_provider_share",
        ),
        profile_fields=("employer_funding",),
        mitigations=(
            ("Ask the provider for free or low-cost approved CPD, and about hardship waivers or extensions."),
            ("Keep a record of all your learning; some bodies accept a share from any source."),
        ),
        rests_on=("delivery.cpd_hours_per_year", "delivery.cpd_approved_provider_share"),
        fires=(
            "some CPD (yearly, or once to gain the award) must be bought from approved providers and "
            "your employer would not pay: **medium** from 10 hours a year, otherwise **low** (CPD "
            "needed once is always **low**); partial funding softens"
        ),
        helps="free or low-cost approved CPD, hardship waivers; keep a record of all learning",
    ),
    RuleInfo(
        id="sector",
        category="eligibility-sector",
        title="Open only to some sectors",
        rationale=(
            "Restricting places to NHS employers shuts out social care, local government, voluntary "
            "and independent providers and start-ups, even where they do the same digital work."
        ),
        reads=("eligibility.sectors", "eligibility.conditional_sectors"),
        profile_fields=("sector",),
        mitigations=("Look for programmes open to your sector; CertReady's comparison lists them.",),
        rests_on=("eligibility.sectors",),
        fires=(
            "your sector is listed as eligible on a condition (an NHS-commissioned service run by a "
            "voluntary or independent provider, for the DHLP): **medium**, quoting the programme's "
            "words; your sector is not listed: **high**; no sector: **undetermined**"
        ),
        helps=(
            "NHS-commissioned services may count; the Level 5 Award for adult social care; "
            "programmes open to your sector"
        ),
    ),
    RuleInfo(
        id="nation",
        category="jurisdiction",
        entry_requirement=True,
        title="Open only in some nations",
        rationale=(
            "Programmes funded by one nation's health service are often closed to people working in "
            "the others, so where you work, not what you can do, decides whether you can take part."
        ),
        reads=("eligibility.nations", "eligibility.conditional_nations"),
        profile_fields=("nation",),
        mitigations=(
            "Ask whether a few sponsored places are open UK-wide.",
            "Look for the equivalent programme in your own nation.",
        ),
        rests_on=("eligibility.nations",),
        fires=(
            "your nation has some places on a condition (the Topol Fellowship's sponsored places "
            "across the UK): **medium**; your nation is not listed: **high**; no nation: "
            "**undetermined**"
        ),
        helps="UK-wide sponsored places; the equivalent programme in your nation",
    ),
    RuleInfo(
        id="us-content",
        category="jurisdiction",
        title="Content built around US law and practice",
        rationale=(
            "An exam set on US law, regulation and health-system practice makes UK candidates learn "
            "material they will not use, and often costs more outside the US."
        ),
        reads=("delivery.content_jurisdiction",),
        profile_fields=("nation",),
        mitigations=(
            ("Ask for the exam outline and a UK candidate's view of how much US-specific material it has."),
            "Compare with UK-based credentials that cover the same capabilities.",
        ),
        rests_on=("delivery.content_jurisdiction",),
        fires="the content is US-centric and you work in a UK nation: **medium**",
        helps="ask for the exam outline; UK-based equivalents",
    ),
    RuleInfo(
        id="staff-group",
        category="eligibility-staff-group",
        title="Open only to one staff group",
        rationale=(
            "Places reserved for clinical (or non-clinical) staff exclude people doing the same "
            "digital leadership work from the other group. Your staff group is always answered, so "
            "this rule is never undetermined."
        ),
        reads=("eligibility.staff_groups",),
        profile_fields=("staff_group",),
        mitigations=(
            "Ask whether there are sponsored or associate places for your staff group.",
            "Look for an equivalent programme open to both staff groups.",
        ),
        rests_on=("eligibility.staff_groups",),
        fires="your staff group is not listed: **high** (never undetermined)",
        helps="sponsored or associate places; programmes open to both groups",
    ),
    RuleInfo(
        id="professional-registration",
        category="eligibility-registration",
        title="Registration with a statutory regulator",
        rationale=(
            "Requiring statutory registration (GMC, NMC, HCPC and others) shuts out non-clinical "
            "staff and clinical staff in unregulated roles, whatever their informatics experience."
        ),
        reads=("eligibility.professional_registration_required",),
        profile_fields=("professional_registration", "staff_group"),
        mitigations=(
            ("Ask whether an associate grade or another route admits people without statutory registration."),
        ),
        rests_on=("eligibility.professional_registration_required",),
        fires=("statutory registration required and you have none: **high**; unknown: **undetermined**"),
        helps="associate grades; informatics registers such as FEDIP for non-clinical staff",
    ),
    RuleInfo(
        id="minimum-qualification",
        category="eligibility-qualification",
        title="A minimum qualification",
        rationale=(
            "Degree requirements exclude capable people who learned through work, apprenticeships, "
            "start-ups or communities. A published alternative route or recognition of prior "
            "learning lowers the risk."
        ),
        reads=(
            "eligibility.min_qualification",
            "eligibility.qualification_alternative_route",
            "eligibility.recognises_prior_learning",
        ),
        profile_fields=("highest_qualification", "learning_routes"),
        mitigations=(
            ("Build a portfolio of what you have led or built, with dates, outcomes and references."),
        ),
        rests_on=("eligibility.min_qualification",),
        fires=(
            "your highest qualification is below the minimum: **high**, a step softer for each of an "
            "alternative route and recognition of prior learning; unknown: **undetermined**. The "
            "circumstance names informal routes you learned through (start-up, hackathons, online "
            "communities…)"
        ),
        helps="the alternative route; APEL; a portfolio of evidence",
    ),
    RuleInfo(
        id="years-in-digital",
        category="eligibility-experience",
        title="Years of experience in digital change",
        rationale=(
            "Years-of-experience rules shut out people whose experience is recent, part-time or "
            "gained outside paid roles. Pro-rating part-time years, as AMIA does, is fairer than a "
            "flat count, but it can also mean part-time staff need more calendar years."
        ),
        reads=(
            "eligibility.min_years_digital",
            "eligibility.experience_pro_rated",
            "eligibility.experience_pro_rated_by",
            "eligibility.recognises_prior_learning",
        ),
        profile_fields=("years_in_digital", "hours_per_week", "contract", "digital_time_percent"),
        mitigations=(
            ("Ask whether 'usually' in the requirement leaves room for strong applicants with fewer years."),
        ),
        rests_on=("eligibility.min_years_digital",),
        fires=(
            "fewer years than asked: **low** within a year, **high** when short by more than half, "
            "otherwise **medium**. If the programme pro-rates by hours, part-time years count × your "
            "FTE (hours ÷ 37.5); if it pro-rates by digital time (`experience_pro_rated_by: "
            "digital-time`), years count × FTE × the share of your time in digital work "
            "(`digital_time_percent`); if it does not pro-rate, the flag says your part-time years may "
            "count in full. Unknown years, or pro-rating with the hours or digital share that would "
            "decide it unknown: **undetermined**"
        ),
        helps=(
            'prior learning from unpaid, voluntary, start-up or community work; whether "usually" leaves room'
        ),
    ),
    RuleInfo(
        id="years-in-leadership",
        category="eligibility-experience",
        title="Years of experience in leadership",
        rationale=(
            "Counting years in leadership roles favours people who were given titles early, and "
            "misses leadership shown in projects, networks, communities and start-ups."
        ),
        reads=(
            "eligibility.min_years_leadership",
            "eligibility.experience_pro_rated",
            "eligibility.recognises_prior_learning",
        ),
        profile_fields=("years_in_leadership", "hours_per_week", "contract"),
        mitigations=(
            (
                "Count leadership you have shown without the title: projects, networks, "
                "volunteering, start-ups."
            ),
        ),
        rests_on=("eligibility.min_years_leadership",),
        fires="as years-in-digital",
        helps="prior learning; leadership shown without the title",
    ),
    RuleInfo(
        id="experience-by-job-title",
        category="eligibility-experience",
        title="Experience defined by job title",
        rationale=(
            "Defining experience by title ('CIO or equivalent') rather than by what people did "
            "excludes deputies, specialists, the self-employed and people from start-ups and "
            "communities, whose titles do not match."
        ),
        reads=(
            "eligibility.experience_defined_by_job_title",
            "eligibility.recognises_prior_learning",
        ),
        profile_fields=("role_level", "contract", "learning_routes"),
        mitigations=(
            (
                "In your application, describe what you did (decisions, budgets, teams, outcomes), "
                "not only your title."
            ),
            "Ask the provider what counts as 'equivalent' before you apply.",
        ),
        rests_on=("eligibility.experience_defined_by_job_title",),
        fires=(
            "experience is defined by title and you are self-employed, below senior manager, or "
            "learned through a start-up, hackathons or online communities: **medium**; none of those "
            "and no role level: **undetermined**"
        ),
        helps=(
            "ask to be assessed on what you did; describe activities, not titles; ask what counts as "
            '"equivalent"'
        ),
    ),
    RuleInfo(
        id="minimum-role-level",
        category="eligibility-experience",
        title="A minimum role level",
        rationale=(
            "A minimum grade or role level excludes people who already do senior work without the "
            "grade, often those in smaller organisations, part-time roles or under-promoted groups."
        ),
        reads=("eligibility.min_role_level",),
        profile_fields=("role_level",),
        mitigations=(
            "Ask whether acting, deputy or portfolio roles at that level count.",
            ("Look at programmes for aspiring and deputy leaders first; CertReady's comparison lists them."),
        ),
        rests_on=("eligibility.min_role_level",),
        fires="one level below: **medium**; two or more: **high**; unknown: **undetermined**",
        helps="acting, deputy or portfolio roles; programmes for aspiring and deputy leaders",
    ),
    RuleInfo(
        id="membership",
        category="eligibility-membership",
        title="Membership of a professional body",
        rationale=(
            "Making membership a condition adds a fee and sometimes a second set of entry criteria, "
            "and favours people already in the right networks."
        ),
        reads=(
            "eligibility.membership_required",
            "eligibility.membership_bodies",
            "eligibility.membership_other_bodies",
        ),
        profile_fields=("memberships",),
        mitigations=(
            ("Check the body's own entry criteria and fee, and whether your employer pays it."),
            "Ask whether a reduced or associate membership is enough.",
        ),
        rests_on=("eligibility.membership_required",),
        fires=(
            "none of your memberships names one of the bodies the programme accepts (see below): "
            "**medium**; a membership we do not recognise where the programme also accepts bodies it "
            "does not list, or where it names no body we know: **undetermined** (check it); no "
            "memberships answer: **undetermined**"
        ),
        helps=(
            "ask whether your membership counts; the body's criteria and fee; reduced or associate membership"
        ),
    ),
    RuleInfo(
        id="executive-sponsor",
        category="sponsorship",
        entry_requirement=True,
        title="An executive sponsor",
        rationale=(
            "Needing a senior sponsor makes access depend on your employer's goodwill, and excludes "
            "people with unsupportive managers, the self-employed and staff of small providers."
        ),
        reads=("eligibility.sponsor_required",),
        profile_fields=("employer_support", "contract"),
        mitigations=(
            (
                "Ask a senior leader outside your line, such as a chief nurse, CCIO or director, to "
                "sponsor you."
            ),
            ("Ask the provider whether a sponsor from a partner organisation or network is accepted."),
        ),
        rests_on=("eligibility.sponsor_required",),
        fires=(
            "your employer would not back you, or you are self-employed: **high**; unsure: "
            "**medium**; unknown: **undetermined**"
        ),
        helps=("ask your manager now; a senior leader outside your line; a partner-organisation sponsor"),
    ),
    RuleInfo(
        id="protected-time",
        category="sponsorship",
        entry_requirement=True,
        title="Time your employer must protect",
        rationale=(
            "Protected-time conditions depend on the employer agreeing to release you; without it "
            "people study in their own time, which carers and part-time staff often cannot do."
        ),
        reads=("eligibility.protected_time_fte",),
        profile_fields=("employer_support", "contract", "hours_per_week"),
        mitigations=(
            "If you work part time, agree the protected time in hours that match the programme's "
            f"weekly load, which is the same for everyone, not as a pro-rata share: {PTWR}.",
        ),
        rests_on=("eligibility.protected_time_fte",),
        fires=(
            "as executive-sponsor. The protected time is a share of a full-time week, in hours, like "
            "the weekly load; for part-time staff the flag also says what share of their own week "
            "that is"
        ),
        helps="ask now; protected hours that match the load for part-time staff",
    ),
    RuleInfo(
        id="raters",
        category="sponsorship",
        title="Raters or supporters you must find",
        rationale=(
            "360 feedback and supporters' statements assume a line manager, peers and direct "
            "reports. Self-employed people and staff who move between employers may not have them."
        ),
        reads=("delivery.raters_required",),
        profile_fields=("contract",),
        mitigations=(
            ("Ask whether clients, collaborators, community members or former colleagues can rate you."),
        ),
        rests_on=("delivery.raters_required",),
        fires=(
            "raters or supporters are needed and you are self-employed: **medium**; bank or locum: **low**"
        ),
        helps="clients, collaborators, community members or former colleagues as raters",
    ),
    RuleInfo(
        id="informal-learning-not-recognised",
        category="prior-learning-recognition",
        title="Informal learning that will not be recognised",
        rationale=(
            "Without recognition of prior learning, what you learned by teaching yourself, in "
            "start-ups, hackathons or online communities does not count, however much it taught you."
        ),
        reads=("eligibility.recognises_prior_learning",),
        profile_fields=("learning_routes",),
        mitigations=(
            ("Ask the provider whether it would consider a portfolio of evidence instead."),
            ("Keep a portfolio of what you built or led: dates, outcomes and people who can vouch for it."),
        ),
        rests_on=("eligibility.recognises_prior_learning",),
        fires=(
            "no recognition of prior learning and more than half of your learning routes are "
            "informal (self-taught, start-up, hackathon, online community, professional network): "
            "**medium**"
        ),
        helps="ask about a portfolio route; keep a portfolio",
    ),
    RuleInfo(
        id="reasonable-adjustments",
        category="accessibility",
        title="No published reasonable adjustments",
        rationale=(
            "When a provider publishes nothing about adjustments, disabled people and others who "
            "need them must negotiate alone, and many do not apply. The Equality Act 2010 still "
            "requires adjustments."
        ),
        reads=("delivery.reasonable_adjustments",),
        profile_fields=("needs_adjustments",),
        mitigations=(
            (
                "Ask the provider in writing what adjustments it makes; under the Equality Act 2010 "
                "they must be reasonable and free of charge."
            ),
            ("Ask for materials in the format you need and extra time well before any deadline or exam."),
        ),
        rests_on=("delivery.reasonable_adjustments",),
        fires="you need adjustments and the provider publishes none: **medium**",
        helps=(
            "ask in writing (the Equality Act requires them, free of charge); accessible formats and "
            "extra time"
        ),
    ),
    RuleInfo(
        id="exam-centre-only",
        category="accessibility",
        title="Exams only at a test centre",
        rationale=(
            "Exams that can only be sat at a test centre exclude people who cannot travel or attend "
            "in person, unless the provider offers remote proctoring or adjustments."
        ),
        reads=(
            "delivery.exam_centres_only",
            "delivery.reasonable_adjustments",
            "delivery.venues",
        ),
        profile_fields=("can_attend_in_person", "needs_adjustments"),
        mitigations=(
            "Ask whether the exam can be taken online with a remote proctor.",
            "Ask for the nearest test centre and its accessibility before you book.",
        ),
        rests_on=("delivery.exam_centres_only",),
        fires=(
            "the exam is only at test centres and you cannot attend in person (**high**), can only "
            "with support (**medium**) or need adjustments (**medium**); adjustments soften"
        ),
        helps="the provider's adjustments; remote proctoring; the nearest accessible centre",
    ),
)


ENTRY_REQUIREMENTS = frozenset(info.id for info in RULE_INFO if info.entry_requirement)
"""Rules outside the ``eligibility-*`` categories that decide who may apply (``entry_requirement``)."""
