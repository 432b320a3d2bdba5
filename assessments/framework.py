"""Certification frameworks: the schema, the loader and the shipped catalogue.

A framework is a YAML file that programme designers read and write, so the loader
reports every problem it finds with the file name and the key path, and never lets a
traceback through. The file format is documented in ``docs/framework-format.md``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assessments import geo, vocabulary
from assessments.bodies import BODY_IDS
from assessments.errors import FrameworkError, InputError, describe_validation_error

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
MAX_FRAMEWORK_BYTES = 1024 * 1024
MAX_LEVEL = 6

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CRITERION_ID = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"

Role = Literal["cio", "ccio", "cnio", "cdo", "cmio", "caio", "deputy", "aspiring", "any"]
Area = Literal[
    "strategy",
    "leadership",
    "change",
    "clinical-safety",
    "data",
    "technology",
    "governance",
    "finance",
    "user-centred",
    "partnerships",
]
DeliveryFormat = Literal["online", "blended", "in-person", "residential", "self-paced", "exam-only"]
FeePayer = Literal["programme", "employer", "self"]
# Answers a framework's eligibility refers to: their values are the profile's, declared once in
# ``assessments.vocabulary`` (a type checker reads them from ``assessments.profile``).
if TYPE_CHECKING:  # pragma: no cover
    from assessments.profile import Nation, Qualification, RoleLevel, Sector, StaffGroup
else:
    Nation, Sector, StaffGroup, Qualification, RoleLevel = map(
        vocabulary.literal, ("nation", "sector", "staff_group", "highest_qualification", "role_level")
    )
Jurisdiction = Literal["uk", "us", "international"]

QUALIFICATION_ORDER: tuple[str, ...] = vocabulary.order("highest_qualification")
"""Qualification levels, lowest first (RQF levels; SCQF equivalents in each label)."""
ROLE_LEVEL_ORDER: tuple[str, ...] = vocabulary.order("role_level")

Text = Annotated[str, Field(min_length=1, max_length=4000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
NonNegative = Annotated[float, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Level(_Strict):
    value: Annotated[int, Field(ge=0, le=MAX_LEVEL)]
    label: ShortText
    description: Text | None = None


SourceId = Annotated[str, Field(pattern=SLUG, max_length=40)]


class Source(_Strict):
    id: SourceId | None = None
    """What ``provenance`` entries cite; a source nothing cites may leave it out."""
    title: ShortText
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)]


class Provenance(_Strict):
    """Where one field's value comes from: the file's sources that state it, or why it is modelled.

    A figure built from a published one (the midpoint of a published range, say) gives both.
    The ``modelled`` reason is shown to participants, so it is a plain sentence about the
    programme, never a key or a field name.
    """

    sources: tuple[SourceId, ...] = ()
    modelled: Text | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Provenance:
        if not self.sources and self.modelled is None:
            raise ValueError("give the ids of the sources that state it, or why it is modelled")
        return self


class Criterion(_Strict):
    id: Annotated[str, Field(pattern=CRITERION_ID, max_length=80)]
    title: ShortText
    description: Text
    area: Area
    required_level: int
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    actions: tuple[Text, ...] = ()
    """Suggested development actions, shown in the development plan."""


class Domain(_Strict):
    id: Annotated[str, Field(pattern=SLUG, max_length=60)]
    title: ShortText
    description: Text | None = None
    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1)]


class Delivery(_Strict):
    format: DeliveryFormat
    duration_months: Annotated[float, Field(ge=0, le=120)]
    study_hours_per_week: Annotated[float, Field(ge=0, le=80)]
    in_person_days: Annotated[float, Field(ge=0, le=365)] = 0
    residential: bool = False
    venues: tuple[ShortText, ...] = ()
    """Where in-person parts happen, in words a person reads (e.g. "Birmingham or Manchester")."""
    venue_cities: tuple[Annotated[tuple[ShortText, ...], Field(min_length=1)], ...] = ()
    """The same places for the travel estimate: one entry per forum or session the person must
    attend, each listing the UK towns it can be attended in (the nearest counts). The DHLP's three
    forums are ``[[York], [London], [Birmingham, Manchester]]``; a programme whose venues are
    alternatives (any one will do) has one entry listing them all."""
    fee_gbp: NonNegative = 0
    annual_fee_gbp: NonNegative = 0
    fee_payer: FeePayer = "self"
    fees_published: bool = True
    """False where the provider publishes no fee: the figures above are then modelled."""
    part_time_pathway: bool = False
    reasonable_adjustments: bool = False
    remote_attendance_option: bool = False
    """In-person parts can be joined remotely."""
    bursaries: bool = False
    cpd_hours_per_year: NonNegative = 0
    cpd_hours_once: NonNegative = 0
    """CPD needed once to gain or confirm the award (CHCIO: 25 CEUs within 12 months of passing)."""
    cpd_approved_provider_share: Annotated[float, Field(ge=0, le=1)] = 0
    """Share of that CPD (yearly and once) that must come from paid, approved providers."""
    raters_required: Annotated[int, Field(ge=0, le=20)] = 0
    """People who must rate the candidate (a 360 or supporters' statements)."""
    content_jurisdiction: Jurisdiction = "uk"
    exam_centres_only: bool = False

    @field_validator("venue_cities")
    @classmethod
    def _placeable_towns(cls, value: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        unknown = [name for forum in value for name in forum if geo.town(name) is None]
        if unknown:
            raise ValueError(
                f"{', '.join(repr(name) for name in unknown)}: not a UK town CertReady can place "
                "(towns of 1,000 people or more, as GeoNames spells them); describe other venues "
                "in venues only"
            )
        return value


class ConditionalSectors(_Strict):
    """Sectors outside ``sectors`` whose staff may still be eligible, on a condition the provider states."""

    sectors: Annotated[tuple[Sector, ...], Field(min_length=1)]
    condition: ShortText
    """The provider's own words, shown to the person so they can check it with their employer."""


class ConditionalNations(_Strict):
    """Nations outside ``nations`` with some places open to them (for example a few sponsored ones)."""

    nations: Annotated[tuple[Nation, ...], Field(min_length=1)]
    condition: ShortText
    """The provider's own words about those places."""


class Eligibility(_Strict):
    nations: tuple[Nation, ...] = ()
    conditional_nations: ConditionalNations | None = None
    sectors: tuple[Sector, ...] = ()
    conditional_sectors: ConditionalSectors | None = None
    staff_groups: tuple[StaffGroup, ...] = ()
    professional_registration_required: bool = False
    min_qualification: Qualification = "none"
    qualification_alternative_route: bool = False
    """A published route for people without the usual qualification."""
    min_years_digital: NonNegative = 0
    min_years_leadership: NonNegative = 0
    min_role_level: RoleLevel = "aspiring"
    experience_pro_rated: bool = False
    experience_pro_rated_by: Literal["hours", "digital-time"] = "hours"
    """What pro-rating counts: contracted hours (a year at 18.75 of 37.5 hours counts as half a year),
    or, for years in digital work, the share of working time spent on digital work as well (a
    full-time year at 40% digital counts as 0.4 of a year; AMIA's AHIC tracks by % of work time)."""
    experience_defined_by_job_title: bool = False
    membership_required: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    """The membership in words, as a person reads it (e.g. "CHIME or CHIME International")."""
    membership_bodies: tuple[str, ...] = ()
    """The bodies (ids in ``assessments.bodies``) any one of which meets ``membership_required``.

    They refine the words and apply only with them: without ``membership_required`` there is no
    membership requirement (so clearing the words in the designer's what-if removes it)."""
    membership_other_bodies: bool = False
    """Bodies not listed can also meet it (CITP: "or another licensed body"), so an unrecognised
    membership is a question to check, not a miss."""
    sponsor_required: bool = False
    protected_time_fte: Annotated[float, Field(ge=0, le=1)] = 0
    recognises_prior_learning: bool = True

    @field_validator("membership_bodies")
    @classmethod
    def _known_bodies(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [item for item in value if item not in BODY_IDS]
        if unknown:
            raise ValueError(
                f"unknown professional body {', '.join(repr(item) for item in unknown)}; "
                f"known bodies: {', '.join(BODY_IDS)} (add a new one to assessments/bodies.py)"
            )
        if len(set(value)) != len(value):
            raise ValueError("a professional body is listed twice")
        return value


class Framework(_Strict):
    id: Annotated[str, Field(pattern=SLUG, max_length=60)]
    name: ShortText
    provider: ShortText
    version: Annotated[str, Field(min_length=1, max_length=40)]
    source: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)]
    sources: tuple[Source, ...] = ()
    provenance: dict[Annotated[str, Field(max_length=80)], Provenance] = {}
    """Field path -> where its value comes from; every path of ``provenance_paths`` must be covered."""
    modelled: bool = False
    """Worked out from ``provenance`` (true when any entry is modelled); files need not write it."""
    summary: Text
    roles: Annotated[tuple[Role, ...], Field(min_length=1)]
    levels: Annotated[tuple[Level, ...], Field(min_length=2, max_length=MAX_LEVEL + 1)]
    domains: Annotated[tuple[Domain, ...], Field(min_length=1)]
    delivery: Delivery
    eligibility: Eligibility = Eligibility()

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # "version: 2026.1" without quotes is a float in YAML; accept it as written.
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @model_validator(mode="before")
    @classmethod
    def _modelled_from_provenance(cls, data: Any) -> Any:
        # Declared once: a file with provenance gets ``modelled`` from it. A snapshot stored before
        # provenance existed has none and keeps the flag it was saved with.
        if not isinstance(data, dict) or not isinstance(data.get("provenance"), dict):
            return data
        entries = data["provenance"].values()
        derived = any(isinstance(entry, dict) and entry.get("modelled") is not None for entry in entries)
        if "modelled" in data and data["modelled"] is not derived:
            raise ValueError(
                f"modelled is worked out from provenance (here {str(derived).lower()}); leave it out"
            )
        return {**data, "modelled": derived}

    @model_validator(mode="after")
    def _unpublished_fees_are_modelled(self) -> Framework:
        # The fee figures of a provider that publishes none are CertReady's: provenance must say
        # so, which also puts the reason in front of participants ("What was modelled").
        if self.provenance and not self.delivery.fees_published:
            entry = self.provenance_of("delivery.fee_gbp")
            if entry is not None and entry.modelled is None:
                raise ValueError(
                    "delivery.fees_published is false, so provenance must give delivery.fee_gbp "
                    "a modelled reason"
                )
        return self

    def provenance_of(self, path: str) -> Provenance | None:
        """The entry covering ``path``: its own, or its section's (``delivery`` covers ``delivery.*``)."""
        while True:
            if path in self.provenance:
                return self.provenance[path]
            if "." not in path:
                return None
            path = path.rpartition(".")[0]

    @property
    def modelled_notes(self) -> tuple[str, ...]:
        """What was modelled, in the file's words and order (each reason once), for participants."""
        notes = (entry.modelled for entry in self.provenance.values() if entry.modelled is not None)
        return tuple(dict.fromkeys(notes))

    @property
    def max_level(self) -> int:
        return max(level.value for level in self.levels)

    def criteria(self) -> Iterator[tuple[Domain, Criterion]]:
        for domain in self.domains:
            for criterion in domain.criteria:
                yield domain, criterion

    @property
    def criteria_by_id(self) -> dict[str, Criterion]:
        return {criterion.id: criterion for _, criterion in self.criteria()}

    def level_label(self, value: int) -> str:
        return next((level.label for level in self.levels if level.value == value), str(value))

    def fingerprint(self) -> str:
        """A stable hash of the content, so a changed file can be told from an unchanged one."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def to_json(self) -> str:
        """Serialise for a snapshot: ``framework_from_json`` gives the same framework back."""
        return self.model_dump_json()


def _semantic_problems(framework: Framework) -> list[str]:
    problems: list[str] = []
    values = [level.value for level in framework.levels]
    if sorted(values) != list(range(len(values))):
        problems.append(f"levels: values must run 0, 1, 2 … without gaps or repeats (got {values})")
    top = framework.max_level
    seen_domains: set[str] = set()
    seen_criteria: set[str] = set()
    for d_index, domain in enumerate(framework.domains):
        if domain.id in seen_domains:
            problems.append(f"domains[{d_index}].id: duplicate domain id '{domain.id}'")
        seen_domains.add(domain.id)
        for c_index, criterion in enumerate(domain.criteria):
            where = f"domains[{d_index}].criteria[{c_index}]"
            if criterion.id in seen_criteria:
                problems.append(f"{where}.id: duplicate criterion id '{criterion.id}'")
            seen_criteria.add(criterion.id)
            if not 0 <= criterion.required_level <= top:
                problems.append(f"{where}.required_level: must be between 0 and {top}")
    eligibility = framework.eligibility
    for key, main, conditional in (
        ("nations", eligibility.nations, eligibility.conditional_nations),
        ("sectors", eligibility.sectors, eligibility.conditional_sectors),
    ):
        if conditional is None:
            continue
        listed: tuple[str, ...] = getattr(conditional, key)
        if not main:
            problems.append(
                f"eligibility.conditional_{key}: needs eligibility.{key} (with no {key} listed, all are open)"
            )
        both = [value for value in listed if value in main]
        if both:
            problems.append(
                f"eligibility.conditional_{key}.{key}: already open without a condition: {', '.join(both)}"
            )
    return problems


CLAIMS: tuple[str, ...] = ("name", "provider", "summary", "roles", "levels")
"""Top-level fields that state something about the programme (``id``, ``version``, ``source``,
``sources`` and ``provenance`` describe the file, and ``modelled`` is derived)."""
SECTIONS: dict[str, type[BaseModel]] = {"delivery": Delivery, "eligibility": Eligibility}

PROVENANCE_NOTE = (
    "neither sourced nor modelled: add it to provenance with the ids of the sources that state it, "
    "or a modelled reason"
)


def provenance_paths(framework: Framework) -> tuple[str, ...]:
    """Every field path that must be sourced or modelled: each claim, each delivery and
    eligibility field (defaults included: an unwritten ``bursaries`` still says "none"), and
    each domain (its criteria and required levels)."""
    return (
        *CLAIMS,
        *(f"{section}.{field}" for section, model in SECTIONS.items() for field in model.model_fields),
        *(f"domains.{domain.id}" for domain in framework.domains),
    )


def _provenance_problems(framework: Framework) -> list[str]:
    required = provenance_paths(framework)
    citable = {*required, *SECTIONS, "domains"}
    known_sources = [source.id for source in framework.sources if source.id is not None]
    problems = [
        f"sources: duplicate source id '{source_id}'"
        for source_id, count in Counter(known_sources).items()
        if count > 1
    ]
    for path, entry in framework.provenance.items():
        if path not in citable:
            problems.append(f"provenance.{path}: not a field of the framework that can be sourced")
        for source_id in entry.sources:
            if source_id not in known_sources:
                listed = ", ".join(known_sources) or "none has an id"
                problems.append(
                    f"provenance.{path}: '{source_id}' is not the id of one of the file's sources ({listed})"
                )
    problems.extend(
        f"{path}: {PROVENANCE_NOTE}" for path in required if framework.provenance_of(path) is None
    )
    return problems


def parse_framework(data: Any, name: str) -> Framework:
    """Validate an already-parsed mapping; ``name`` prefixes every message."""
    if not isinstance(data, dict):
        raise FrameworkError([f"{name}: the file must be a YAML mapping of keys to values"])
    try:
        framework = Framework.model_validate(data)
    except ValidationError as error:
        raise FrameworkError([f"{name}: {message}" for message in describe_validation_error(error)]) from None
    problems = _semantic_problems(framework) + _provenance_problems(framework)
    if problems:
        raise FrameworkError([f"{name}: {message}" for message in problems])
    return framework


MAX_EXPANDED_NODES = 200_000
"""Values a document may hold once aliases (``*name``) are expanded: stops "billion laughs" files."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys instead of silently keeping the last one.

    It also refuses aliases that refer to their own container or multiply a small file
    into millions of values, which would otherwise hang validation.
    """

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        if node is not None:
            _check_alias_expansion(node)
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # PyYAML's constructors raise bare ValueError and friends for values that match a type's
        # pattern but not its rules ("2026-02-30", "!!int x"); give them a line number instead.
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            raise yaml.constructor.ConstructorError(None, None, _unreadable(node), node.start_mark) from None


_TAG_NAMES = {
    "int": "whole number",
    "float": "number",
    "bool": "true/false value",
    "timestamp": "date",
    "null": "null",
    "binary": "base64 value",
    "map": "mapping",
    "seq": "list",
    "str": "text",
}


def _unreadable(node: yaml.Node) -> str:
    kind = str(node.tag).removeprefix("tag:yaml.org,2002:")
    name = _TAG_NAMES.get(kind, f"!!{kind}")
    if isinstance(node, yaml.ScalarNode):
        return f"'{node.value}' is not a valid {name} (put it in quotes if it is meant as text)"
    return f"this cannot be read as a {name}"


def _check_alias_expansion(root: yaml.Node) -> None:
    # Iterative post-order walk, memoised per node, so shared (aliased) nodes are sized
    # once and deep nesting cannot exhaust Python's stack.
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        children = _child_nodes(node)
        if leaving:
            on_path.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            continue
        if id(node) in sizes:
            continue
        if id(node) in on_path:
            raise yaml.composer.ComposerError(
                None, None, "an alias refers to the list or mapping that contains it", node.start_mark
            )
        on_path.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    if sizes[id(root)] > max(MAX_EXPANDED_NODES, len(sizes)):
        raise yaml.composer.ComposerError(
            None,
            None,
            f"aliases expand the document to more than {MAX_EXPANDED_NODES:,} values; "
            "write the repeated parts out instead",
            root.start_mark,
        )


def _child_nodes(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _mapping_without_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in mapping
        except TypeError:  # a list or mapping used as a key ("? [a]" or "{[1]: 2}")
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


class _ShippedLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """The framework files we ship, read with libyaml's parser: about 12 times faster than PyYAML's.

    Every ``certready`` command that compares programmes reads all of them, and parsing was most
    of its start-up. Duplicate keys are still refused (same constructor); files from elsewhere keep
    the strict pure-Python loader, whose errors for hostile input are the tested ones, and a shipped
    file that fails here is read again with it for the same clear message.
    """


_ShippedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _too_big(name: str, size: int) -> str:
    return f"{name}: the file is {size:,} bytes; the limit is {MAX_FRAMEWORK_BYTES:,} bytes (1 MiB)"


def load_yaml_text(text: str | bytes, name: str, error: type[Exception] = FrameworkError) -> Any:
    """Parse YAML safely (no object-constructing tags, no duplicate keys, at most 1 MiB)."""
    # surrogatepass: a str may hold lone surrogates, which the YAML reader then refuses with a message.
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_FRAMEWORK_BYTES:
        raise error([_too_big(name, size)])
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: no object tags
    except yaml.YAMLError as problem:
        if isinstance(problem, yaml.reader.ReaderError) and problem.encoding != "unicode":
            # Bytes that do not decode; "unicode" marks a decoded but forbidden character.
            raise error([f"{name}: the file is not UTF-8 text"]) from None
        mark = getattr(problem, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        reason = getattr(problem, "problem", None) or str(problem).splitlines()[0]
        raise error([f"{name}: not valid YAML{where}: {reason}"]) from None
    except UnicodeDecodeError:
        raise error([f"{name}: the file is not UTF-8 text"]) from None
    except RecursionError:  # PyYAML composes nested lists and mappings recursively
        raise error([f"{name}: not valid YAML: lists or mappings are nested too deeply"]) from None


def load_data_file(path: Path, error: type[InputError]) -> Any:
    """Read a profile or ratings file: JSON by its suffix (its errors read better), else YAML.

    Both are refused over 1 MiB, and every problem becomes ``error`` naming the file.
    """
    try:
        raw = path.read_bytes()
    except OSError as problem:
        raise error([f"{path.name}: cannot be read ({problem.strerror})"]) from None
    if path.suffix.lower() != ".json":
        return load_yaml_text(raw, path.name, error=error)
    if len(raw) > MAX_FRAMEWORK_BYTES:
        raise error([_too_big(path.name, len(raw))])
    try:
        return json.loads(raw)
    except RecursionError:
        raise error([f"{path.name}: not valid JSON: lists or mappings are nested too deeply"]) from None
    except ValueError as problem:  # bad JSON, bad UTF-8, or a number too long to read
        raise error([f"{path.name}: not valid JSON: {problem}"]) from None


def load_framework_text(text: str | bytes, name: str) -> Framework:
    return parse_framework(load_yaml_text(text, name), name)


def load_framework(path: Path | str) -> Framework:
    """Load and validate one framework file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FRAMEWORK_BYTES:
            raise FrameworkError([_too_big(path.name, size)])
        raw = path.read_bytes()
    except OSError as problem:
        raise FrameworkError([f"{path.name}: cannot be read ({problem.strerror})"]) from None
    return load_framework_text(raw, path.name)


def framework_from_json(text: str) -> Framework:
    """Rebuild a framework from a stored snapshot (see ``Framework.to_json``)."""
    return Framework.model_validate_json(text)


@cache
def shipped_frameworks() -> dict[str, Framework]:
    """Every framework shipped in ``assessments/frameworks``, by id, in name order."""
    frameworks = [_load_shipped(path) for path in sorted(FRAMEWORKS_DIR.glob("*.yaml"))]
    by_id: dict[str, Framework] = {}
    for framework in sorted(frameworks, key=lambda f: f.name.lower()):
        if framework.id in by_id:
            raise FrameworkError([f"two shipped frameworks use the id '{framework.id}'"])
        by_id[framework.id] = framework
    return by_id


def shipped_framework(framework_id: str) -> Framework | None:
    """One shipped framework by id (``None`` if no shipped file has it), reading only its own file.

    Shipped files are named after their ids (``test_file_is_named_after_its_id`` checks it), so a
    command about one programme need not read and validate all of them (about 0.1 s). Once the
    whole catalogue is loaded, it answers from that.
    """
    if shipped_frameworks.cache_info().currsize:
        return shipped_frameworks().get(framework_id)
    return _shipped_by_file(framework_id)


@cache
def _shipped_by_file(framework_id: str) -> Framework | None:
    path = FRAMEWORKS_DIR / f"{framework_id}.yaml"
    if not re.fullmatch(SLUG, framework_id) or not path.is_file():
        return None
    framework = _load_shipped(path)
    if framework.id != framework_id:
        raise FrameworkError(
            [f"{path.name}: a shipped framework's file must be named after its id '{framework.id}'"]
        )
    return framework


def _load_shipped(path: Path) -> Framework:
    try:
        data = yaml.load(path.read_bytes(), Loader=_ShippedLoader)  # a safe loader: no object tags
    except yaml.YAMLError:
        return load_framework(path)
    return parse_framework(data, path.name)


def resolve_framework(id_or_file: str) -> Framework:
    """A shipped framework id (reading only its file), or a path to a YAML file."""
    if re.fullmatch(SLUG, id_or_file) and not Path(id_or_file).is_file():
        framework = shipped_framework(id_or_file)
        if framework is None:
            known = ", ".join(shipped_frameworks())
            raise FrameworkError([f"unknown framework '{id_or_file}'; known frameworks: {known}"])
        return framework
    return load_framework(id_or_file)
