"""Cohort figures counted ahead: per programme, grouping and group, kept in step with every change.

A dashboard grouping read straight from ``cohort_record`` needs two multi-key ``GROUP BY``
scans of every counted row (see ``queries.group_counts``), several times one bare
``GROUP BY``. Here the same sums are kept in two small tables, so reading a grouping costs a
few thousand rows whatever the cohort's size:

* ``cohort_tally``: people, score sums (in thousandths, exact integers), answers and
  no-opportunity answers per programme, grouping, group, band and score as shown (tenths, for
  the median);
* ``cohort_tally_flag``: people per programme, grouping, group and flag key.

Both are aggregates made by the same SQL ``GROUP BY`` the live figures use (one ``UNION ALL``
over every grouping), applied as signed deltas:

* every change to a person's cohort rows (a submission, a consent change, erasing equality
  answers, deleting the account) goes through ``person_changing``, which counts the person's
  counted rows before and after the change in the same transaction and adds the difference,
  under a lock on the person, in one sorted upsert (so concurrent writers cannot deadlock);
* a release batch (``release_due``) counts the released people's rows before and after the
  release, in the transaction of the change that completed the batch, and adds the difference;
* ``rebuild`` recounts programmes from scratch (``certready cohort-tallies --rebuild``; run
  for any programme not yet built by ``certready init-db``), ``check`` compares.

A programme is read from the tallies only once built (``cohort_tally_state``); until then its
figures come from ``cohort_record`` directly, so they are never wrong, only slower.
Intersections of two groupings are always read directly.

The same choke points bump each touched programme's ``cohort_version`` (``bump``), built or not,
in the same transaction: the cached designer documents are keyed by it.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
    union_all,
    update,
)

from app.designer.fields import GROUPINGS, group_order_key, mask_keys
from app.designer.models import (
    CohortRecord,
    CohortTally,
    CohortTallyFlag,
    CohortTallyState,
    CohortVersion,
)
from app.extensions import db
from app.models import Profile, User, utcnow
from assessments.risk_catalogue import high

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

    from assessments.cohort import GroupCounts

ANY_FLAG = "any"
"""Flag key for "carries at least one flag" (and ``high:any``): the programme overview reads it."""

HistKey = tuple[str, str, str, str, int]
"""(framework_id, grouping, value, band, tenths)."""
FlagKey = tuple[str, str, str, str]
"""(framework_id, grouping, value, flag_key)."""
RECORDS_PER_COUNT = 1000
_MEASURES = ("people", "score_milli", "score_milli_squares", "no_opportunity", "answers")


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """Ids in sorted pieces of ``RECORDS_PER_COUNT``: statements repeat them, and SQLite caps bound
    parameters (32,766 by default)."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), RECORDS_PER_COUNT):
        yield ordered[start : start + RECORDS_PER_COUNT]


def _ids_where(statement: Select[Any], column: Any, ids: Iterable[int]) -> set[int]:
    """The ids ``statement`` selects with ``column`` among ``ids``, read a chunk at a time."""
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(db.session.scalars(statement.where(column.in_(chunk))))
    return found


@dataclass
class Delta:
    """Signed changes to both tables, keyed by their primary keys."""

    hist: dict[HistKey, list[int]]
    flags: dict[FlagKey, int]

    @classmethod
    def empty(cls) -> Delta:
        return cls(defaultdict(lambda: [0] * len(_MEASURES)), defaultdict(int))

    def add(self, other: Delta, sign: int = 1) -> None:
        for key, values in other.hist.items():
            mine = self.hist[key]
            for index, value in enumerate(values):
                mine[index] += sign * value
        for flag_key, people in other.flags.items():
            self.flags[flag_key] += sign * people

    def nonzero(self) -> Delta:
        return Delta(
            {key: values for key, values in self.hist.items() if any(values)},
            {key: people for key, people in self.flags.items() if people},
        )


# --------------------------------------------------------------------------- SQL


def scaled_score(factor: int, dialect: str | None = None) -> ColumnElement[int]:
    """``floor(score * factor + 0.5)``: the same integer on SQLite, PostgreSQL and in Python.

    SQLite's ``CAST`` truncates (scores are never negative) and its ``floor`` needs the
    optional maths functions, so it gets a cast; PostgreSQL gets ``floor``.
    """
    scaled = CohortRecord.score * factor + 0.5
    if (dialect or db.session.get_bind().dialect.name) == "sqlite":
        return cast(scaled, Integer)
    return cast(func.floor(scaled), BigInteger)


_CONDITIONS: dict[str, Any] = {
    # One person's rows in some programmes: every change to a person (``person_changing``).
    "person": lambda: (
        (CohortRecord.user_id == bindparam("user_id"))
        & CohortRecord.framework_id.in_(bindparam("framework_ids", expanding=True))
    ),
    # Rows just inserted in bulk (``add_rows``).
    "records": lambda: CohortRecord.id.in_(bindparam("record_ids", expanding=True)),
    # Some people's rows in one programme: a release batch (``release_due``).
    "people": lambda: (
        CohortRecord.user_id.in_(bindparam("user_ids", expanding=True))
        & (CohortRecord.framework_id == bindparam("framework_id"))
    ),
    # Whole programmes (``rebuild``, ``check``).
    "programmes": lambda: CohortRecord.framework_id.in_(bindparam("framework_ids", expanding=True)),
}


@cache
def _statements(kind: str, dialect: str) -> tuple[Select[Any], Select[Any]]:
    """The two counting statements for one kind of condition, built once (21 groupings each)."""
    condition = _CONDITIONS[kind]()
    counted = [CohortRecord.consented.is_(True), CohortRecord.counted.is_(True), condition]
    milli = scaled_score(1000, dialect)
    tenths = scaled_score(10, dialect).label("tenths")
    hist, patterns = [], []
    for key, grouping in GROUPINGS.items():
        value = grouping.expression().label("value")
        name = literal_column(f"'{key}'", String).label("grouping")
        hist.append(
            select(
                name,
                CohortRecord.framework_id,
                value,
                CohortRecord.band,
                tenths,
                func.count(),
                func.sum(milli),
                func.sum(milli * milli),
                func.sum(CohortRecord.no_opportunity_count),
                func.sum(CohortRecord.answer_count),
            )
            .where(*counted)
            .group_by(CohortRecord.framework_id, value, CohortRecord.band, tenths)
        )
        patterns.append(
            select(
                name,
                CohortRecord.framework_id,
                value,
                CohortRecord.flag_mask,
                CohortRecord.high_mask,
                func.count(),
            )
            .where(*counted, or_(CohortRecord.flag_mask != 0, CohortRecord.high_mask != 0))
            .group_by(CohortRecord.framework_id, value, CohortRecord.flag_mask, CohortRecord.high_mask)
        )
    return union_all(*hist), union_all(*patterns)  # type: ignore[return-value]


@cache
def _keys_for(flag_mask: int, high_mask: int) -> frozenset[str]:
    """The flag keys a pattern counts towards, with "any flag" (and "any high") for the overview."""
    extra = ({ANY_FLAG} if flag_mask else set()) | ({high(ANY_FLAG)} if high_mask else set())
    return mask_keys(flag_mask, high_mask) | extra


def count(kind: str, **parameters: Any) -> Delta:
    """What the counted rows of one condition (see ``_CONDITIONS``) add to the tallies.

    Two statements, each a ``UNION ALL`` of one ``GROUP BY`` per grouping.
    """
    found = Delta.empty()
    connection = db.session.connection()
    hist, patterns = _statements(kind, connection.dialect.name)
    for grouping, framework_id, value, band, tenths, *measures in connection.execute(hist, parameters):
        found.hist[(framework_id, grouping, value, band, int(tenths))] = [int(m or 0) for m in measures]
    for grouping, framework_id, value, flag_mask, high_mask, people in connection.execute(
        patterns, parameters
    ):
        for key in _keys_for(int(flag_mask), int(high_mask or 0)):
            found.flags[(framework_id, grouping, value, key)] += int(people)
    return found


# The upserts use each database's own ``INSERT … ON CONFLICT``. Each branch imports its dialect,
# so SQLite never loads PostgreSQL's (with its asyncpg and psycopg modules, about 0.03 s for every
# command and worker) only to take the other branch.


def _insert(table: Any, dialect: str | None = None) -> Any:
    if (dialect or db.session.get_bind().dialect.name) == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


_HIST_KEY = ("framework_id", "grouping", "value", "band", "tenths")
_FLAG_KEY = ("framework_id", "grouping", "value", "flag_key")


def _upsert(table: Any, key: tuple[str, ...], added: tuple[str, ...], dialect: str) -> Any:
    """``INSERT … ON CONFLICT (key) DO UPDATE SET x = x + excluded.x`` for the ``added`` columns.

    PostgreSQL takes the rows as one array per column (``unnest``): one statement and one round
    trip, where an ``executemany`` of a few hundred rows took several times as long.
    """
    names = (*key, *added)
    statement: PostgresInsert | SqliteInsert
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        arrays = [bindparam(name, type_=postgresql.ARRAY(table.c[name].type)) for name in names]
        source = func.unnest(*arrays).table_valued(*names).render_derived(name="source")
        statement = postgresql.insert(table).from_select(list(names), select(*(source.c[n] for n in names)))
    else:
        from sqlalchemy.dialects import sqlite

        statement = sqlite.insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(key), set_={name: table.c[name] + statement.excluded[name] for name in added}
    )


@cache
def _upserts(dialect: str) -> tuple[Any, Any]:
    """The two tables' upserts, built once per dialect."""
    return (
        _upsert(CohortTally.__table__, _HIST_KEY, _MEASURES, dialect),
        _upsert(CohortTallyFlag.__table__, _FLAG_KEY, ("people",), dialect),
    )


def apply(delta: Delta) -> None:
    """Add a delta to the tallies: one upsert per table, rows in key order (no deadlocks)."""
    delta = delta.nonzero()
    dialect = db.session.get_bind().dialect.name
    hist, flags = _upserts(dialect)
    for statement, names, rows in (
        (hist, (*_HIST_KEY, *_MEASURES), [(*key, *values) for key, values in sorted(delta.hist.items())]),
        (flags, (*_FLAG_KEY, "people"), [(*key, people) for key, people in sorted(delta.flags.items())]),
    ):
        if not rows:
            continue
        if dialect == "postgresql":
            columns = [list(column) for column in zip(*rows, strict=True)]
            db.session.execute(statement, dict(zip(names, columns, strict=True)))
        else:
            db.session.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])


# --------------------------------------------------------------------------- keeping in step


def bump(framework_ids: Iterable[str]) -> None:
    """Add one to each programme's cohort version, in the caller's transaction.

    ``INSERT … ON CONFLICT (framework_id) DO UPDATE SET version = version + 1``: the first change
    makes the row (with a fresh random token), and two transactions bumping at once both count
    (on PostgreSQL the second waits for the first's row lock, then adds to what it committed).
    Rows go in key order, after the tallies' upserts, so concurrent writers cannot deadlock.
    """
    wanted = sorted(set(framework_ids))
    if not wanted:
        return
    statement = _insert(CohortVersion)
    statement = statement.on_conflict_do_update(
        index_elements=["framework_id"], set_={"version": CohortVersion.version + 1}
    )
    db.session.execute(
        statement,
        [
            {"framework_id": framework_id, "token": secrets.token_hex(16), "version": 1}
            for framework_id in wanted
        ],
    )


def versions(framework_ids: Iterable[str] | None = None) -> dict[str, tuple[str, int]]:
    """(token, version) per programme that has been bumped at least once."""
    statement = select(CohortVersion.framework_id, CohortVersion.token, CohortVersion.version)
    if framework_ids is not None:
        statement = statement.where(CohortVersion.framework_id.in_(list(framework_ids)))
    return {
        framework_id: (token, int(version)) for framework_id, token, version in db.session.execute(statement)
    }


def programmes_of(user_id: int) -> set[str]:
    """The programmes a person has cohort rows in, counted or not (``ix_cohort_record_user_programme``)."""
    return set(db.session.scalars(select(CohortRecord.framework_id).where(CohortRecord.user_id == user_id)))


def built(framework_ids: Iterable[str] | None = None) -> set[str]:
    """The programmes whose tallies are kept (all of them, or those among ``framework_ids``)."""
    statement = select(CohortTallyState.framework_id)
    if framework_ids is not None:
        statement = statement.where(CohortTallyState.framework_id.in_(list(framework_ids)))
    return set(db.session.scalars(statement))


def is_built(framework_id: str) -> bool:
    return db.session.get(CohortTallyState, framework_id) is not None


def start_if_new(framework_id: str) -> None:
    """Start keeping tallies for a programme nobody has submitted to yet (nothing to recount).

    Called before a submission's row is written. A programme that already has rows but no
    tallies (a database upgraded from before tallies) is left to ``rebuild``.
    """
    if is_built(framework_id):
        return
    if db.session.scalar(select(exists().where(CohortRecord.framework_id == framework_id))):
        return
    statement = _insert(CohortTallyState).values(framework_id=framework_id, built_at=utcnow())
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["framework_id"]))


@contextmanager
def person_changing(
    user_id: int, framework_id: str | None = None, *, counted_rows_change: bool = True
) -> Iterator[None]:
    """Keep the tallies in step with a change to one person's cohort rows, in the caller's transaction.

    Locks the person first, so two changes to one person queue and the "before" count is the
    state this change starts from: on PostgreSQL ``SELECT … FOR UPDATE`` on the account; on
    SQLite a write that changes nothing, because Python's sqlite3 opens the transaction (and
    takes the one write lock) only at the first write, and a count read before it could be
    overtaken by another writer. Then it counts the person's counted rows in built programmes,
    runs the change, counts again and applies the difference, and bumps the cohort version of
    every programme the person has (or had) rows in, built or not.

    A change that leaves every counted row as it was (a submission or consent given again: both
    wait for a release batch, ``release_due``) passes ``counted_rows_change=False`` and only
    takes the lock: nothing to count, and no figure or cached document to make again.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(User).where(User.id == user_id).values(role=User.role))
    else:
        db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
    if not counted_rows_change:
        yield
        db.session.flush()
        return
    touched = {framework_id} if framework_id is not None else programmes_of(user_id)
    programmes = sorted(built(touched))
    before = count("person", user_id=user_id, framework_ids=programmes) if programmes else None
    yield
    db.session.flush()
    if before is not None:
        after = count("person", user_id=user_id, framework_ids=programmes)
        after.add(before, -1)
        apply(after)
    # Every programme the person had or now has rows in: a deletion leaves none to find after.
    bump(touched | (programmes_of(user_id) if framework_id is None else set()))


def add_rows(record_ids: Collection[int]) -> None:
    """Count rows just inserted in bulk (``certready demo-cohort``) into their built programmes."""
    if not record_ids:
        return
    programmes = built()
    delta = Delta.empty()
    touched: set[str] = set()
    # Each of the 21 parts of a statement repeats the ids (see _chunks).
    for chunk in _chunks(record_ids):
        delta.add(count("records", record_ids=chunk))
        touched.update(
            db.session.scalars(select(CohortRecord.framework_id).where(CohortRecord.id.in_(chunk)).distinct())
        )
    delta.hist = {key: values for key, values in delta.hist.items() if key[0] in programmes}
    delta.flags = {key: people for key, people in delta.flags.items() if key[0] in programmes}
    apply(delta)
    bump(touched)


# --------------------------------------------------------------------------- release batches


def _waiting(framework_id: str, among: Collection[int] | None = None) -> set[int]:
    """People whose newest row of the programme is not yet released (optionally among some ids)."""
    statement = select(CohortRecord.user_id).where(
        CohortRecord.framework_id == framework_id,
        CohortRecord.is_latest.is_(True),
        CohortRecord.released.is_(False),
    )
    if among is None:
        return set(db.session.scalars(statement))
    return _ids_where(statement, CohortRecord.user_id, among)


def _consenting(user_ids: Collection[int]) -> set[int]:
    """Those of ``user_ids`` who consent to aggregate analysis now (their profile's answer)."""
    consenting = select(Profile.user_id).where(Profile.consent_aggregate.is_(True))
    return _ids_where(consenting, Profile.user_id, user_ids)


def _lock_waiting(user_ids: set[int]) -> set[int]:
    """Lock the waiting people's accounts as ``person_changing`` does; return those locked.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED`` in id order, so a release never waits for a person
    another transaction is changing (a withdrawal, a deletion, their own submission completing
    another batch at the same moment): it would count them as that change is half done, and two
    releases waiting for each other's submitters would deadlock. Those skipped wait for the next
    release. SQLite: the caller's transaction already holds the one write lock
    (``person_changing`` took it), so nobody else can be changing anyone.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        return user_ids
    return _ids_where(select(User.id).order_by(User.id).with_for_update(skip_locked=True), User.id, user_ids)


def _release(framework_id: str, user_ids: list[int], consenting: set[int]) -> None:
    """Publish the people's newest rows: each becomes the one counted, older ones stop counting.

    Consent given again since their last release is published with it (``consented``); a
    withdrawal was published at once and needs nothing here.
    """
    for chunk in _chunks(user_ids):
        rows = (CohortRecord.framework_id == framework_id) & CohortRecord.user_id.in_(chunk)
        db.session.execute(
            update(CohortRecord)
            .where(rows, CohortRecord.counted.is_(True), CohortRecord.is_latest.is_(False))
            .values(counted=False)
        )
        db.session.execute(
            update(CohortRecord)
            .where(rows, CohortRecord.is_latest.is_(True))
            .values(released=True, counted=True)
        )
        agreed = [user_id for user_id in chunk if user_id in consenting]
        if agreed:
            db.session.execute(
                update(CohortRecord)
                .where(
                    CohortRecord.framework_id == framework_id,
                    CohortRecord.user_id.in_(agreed),
                    CohortRecord.consented.is_(False),
                )
                .values(consented=True)
            )


def _count_people(framework_id: str, user_ids: list[int]) -> Delta:
    found = Delta.empty()
    for chunk in _chunks(user_ids):
        found.add(count("people", user_ids=chunk, framework_id=framework_id))
    return found


def release_due(framework_ids: Iterable[str], batch: int) -> list[str]:
    """Release every programme whose waiting people reach ``batch``; return the ones released.

    Designer figures change only in release batches, so that comparing them before and after one
    known person submits cannot reveal that person's answers. A batch is due when at least
    ``batch`` waiting people (their newest row not yet released) consent to aggregate analysis.
    People waiting who do not consent are released at once, whatever the batch: their rows are
    in no figure, so releasing them changes nothing a designer sees, and they cannot make up a
    batch (a batch of one consenting person and nine who do not would show that one person).
    Released at once, their submissions are in place for "Impact over time" should they consent
    later (their newest row then waits for a batch again: ``set_consent_for_user``).

    A due batch is released in this transaction: the people's rows are counted before and after
    (in built programmes), the tallies take the difference in one sorted upsert and each
    released programme's cohort version is bumped once.

    Call it in the transaction of the change that may complete a batch, after that change's
    ``person_changing`` (a submission, consent given again).
    """
    delta = Delta.empty()
    released: list[str] = []
    for framework_id in sorted(set(framework_ids)):
        waiting = _waiting(framework_id)
        if not waiting:
            continue
        locked = _lock_waiting(waiting)
        # What was waiting may have changed before the locks were held: read it again.
        people = sorted(waiting if locked is waiting else _waiting(framework_id, locked))
        consenting = _consenting(people)
        if len(consenting) < batch:
            quiet = [user_id for user_id in people if user_id not in consenting]
            if quiet:
                _release(framework_id, quiet, set())  # in no figure: nothing to count or bump
            continue
        keep = is_built(framework_id)
        before = _count_people(framework_id, people) if keep else None
        _release(framework_id, people, consenting)
        db.session.flush()
        if before is not None:
            after = _count_people(framework_id, people)
            after.add(before, -1)
            delta.add(after)
        released.append(framework_id)
    apply(delta)
    bump(released)
    return released


def programmes_with_rows() -> set[str]:
    """Programmes with any cohort row (counted or not)."""
    return set(db.session.scalars(select(CohortRecord.framework_id).distinct()))


def _lock_tallies() -> None:
    # PostgreSQL: writers queue behind a rebuild (readers do not), so no delta lands between
    # the recount and the rows it replaces. SQLite: the DELETE below takes the write lock first.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.connection().exec_driver_sql(
            "LOCK TABLE cohort_tally, cohort_tally_flag, cohort_tally_state IN EXCLUSIVE MODE"
        )


def rebuild(framework_ids: Collection[str] | None = None) -> list[str]:
    """Recount programmes from their rows (all with rows, or the ones named); caller commits."""
    wanted = sorted(programmes_with_rows() if framework_ids is None else set(framework_ids))
    _lock_tallies()
    for table in (CohortTally, CohortTallyFlag, CohortTallyState):
        db.session.execute(delete(table).where(table.framework_id.in_(wanted)))
    if not wanted:
        return []
    apply(count("programmes", framework_ids=wanted))
    now = utcnow()
    db.session.execute(
        _insert(CohortTallyState),
        [{"framework_id": framework_id, "built_at": now} for framework_id in wanted],
    )
    # Figures are read from the tallies: a rebuild that corrects them must not leave old documents.
    bump(wanted)
    return wanted


def rebuild_missing() -> list[str]:
    """Build every programme that has rows but no tallies yet (after an upgrade); caller commits."""
    missing = programmes_with_rows() - built()
    return rebuild(missing) if missing else []


def check(framework_ids: Collection[str] | None = None) -> list[str]:
    """Differences between the kept tallies and a recount, as sentences (empty when they agree)."""
    wanted = sorted(built() if framework_ids is None else built(framework_ids))
    problems: list[str] = []
    if not wanted:
        return problems
    fresh = count("programmes", framework_ids=wanted).nonzero()
    kept = Delta.empty()
    for row in db.session.execute(select(CohortTally).where(CohortTally.framework_id.in_(wanted))).scalars():
        kept.hist[(row.framework_id, row.grouping, row.value, row.band, row.tenths)] = [
            int(getattr(row, name)) for name in _MEASURES
        ]
    for flag_row in db.session.execute(
        select(CohortTallyFlag).where(CohortTallyFlag.framework_id.in_(wanted))
    ).scalars():
        kept.flags[(flag_row.framework_id, flag_row.grouping, flag_row.value, flag_row.flag_key)] = int(
            flag_row.people
        )
    difference = Delta.empty()
    difference.add(kept)
    difference.add(fresh, -1)
    difference = difference.nonzero()
    for key, values in sorted(difference.hist.items())[:20]:
        off = ", ".join(f"{name} {value:+}" for name, value in zip(_MEASURES, values, strict=True) if value)
        problems.append(f"{key[0]} {key[1]}={key[2]} band {key[3]} score {key[4] / 10}: off by {off}")
    for flag_key, people in sorted(difference.flags.items())[:20]:
        problems.append(f"{flag_key[0]} {flag_key[1]}={flag_key[2]} {flag_key[3]}: off by {people:+} people")
    hidden = len(difference.hist) + len(difference.flags) - len(problems)
    if hidden > 0:
        problems.append(f"… and {hidden} more differences")
    return problems


# --------------------------------------------------------------------------- reading


def histogram_median(tenths: dict[int, int], n: int) -> float | None:
    """The median of ``n`` scores given as ``{tenths: people}``: the middle one, or the mean of two."""
    if n <= 0:
        return None
    low_index, high_index = (n - 1) // 2, n // 2
    seen = 0
    low: int | None = None
    for value in sorted(tenths):
        seen += tenths[value]
        if low is None and seen > low_index:
            low = value
        if seen > high_index:
            return (low + value) / 20  # type: ignore[operator]
    return None


@dataclass
class GroupSums:
    """One group's size, sums, bands and score histogram, folded from aggregate rows.

    Shared by the tallies (integer sums in thousandths: ``scale=1000``) and the live
    ``GROUP BY`` (float sums: ``scale=1``).
    """

    n: int = 0
    total: float = 0
    squares: float = 0
    no_opportunity: int = 0
    answers: int = 0

    def __post_init__(self) -> None:
        self.bands: dict[str, int] = defaultdict(int)
        self.tenths: dict[int, int] = defaultdict(int)
        self.flagged: dict[str, int] = defaultdict(int)

    def add(
        self,
        band: str,
        tenths: int,
        people: int,
        total: float,
        squares: float,
        no_opportunity: int,
        answers: int,
    ) -> None:
        self.n += people
        self.total += total
        self.squares += squares
        self.no_opportunity += no_opportunity
        self.answers += answers
        self.bands[band] += people
        self.tenths[tenths] += people

    def counts(self, group: str, *, scale: int = 1, parts: tuple[str, ...] = ()) -> GroupCounts:
        from assessments.cohort import GroupCounts  # the statistics: loaded when figures are read

        total, squares = self.total / scale, self.squares / scale**2
        return GroupCounts(
            group=group,
            n=self.n,
            readiness_sum=total,
            readiness_sumsq=max(squares, total**2 / self.n if self.n else 0.0),
            bands={band: people for band, people in self.bands.items() if people},
            flagged={key: min(people, self.n) for key, people in self.flagged.items() if people},
            no_opportunity=self.no_opportunity,
            answers=self.answers,
            median=histogram_median(self.tenths, self.n),
            parts=parts,
        )


def group_counts(framework_id: str, grouping: str) -> list[GroupCounts]:
    """One grouping's ``GroupCounts`` from the tallies (the programme must be built)."""
    found: dict[str, GroupSums] = {}
    hist = select(
        CohortTally.value,
        CohortTally.band,
        CohortTally.tenths,
        CohortTally.people,
        CohortTally.score_milli,
        CohortTally.score_milli_squares,
        CohortTally.no_opportunity,
        CohortTally.answers,
    ).where(
        CohortTally.framework_id == framework_id,
        CohortTally.grouping == grouping,
        CohortTally.people != 0,
    )
    connection = db.session.connection()
    for value, band, tenths, people, milli, squares, no_opportunity, answers in connection.execute(hist):
        group = found.get(value)
        if group is None:
            group = found[value] = GroupSums()
        group.add(band, tenths, int(people), int(milli), int(squares), int(no_opportunity), int(answers))
    flags = select(CohortTallyFlag.value, CohortTallyFlag.flag_key, CohortTallyFlag.people).where(
        CohortTallyFlag.framework_id == framework_id,
        CohortTallyFlag.grouping == grouping,
        CohortTallyFlag.people != 0,
        CohortTallyFlag.flag_key.not_in([ANY_FLAG, high(ANY_FLAG)]),
    )
    for value, key, people in connection.execute(flags):
        group = found.get(value)
        if group is not None:
            group.flagged[key] = int(people)
    return [
        found[value].counts(value, scale=1000)
        for value in sorted(found, key=lambda label: group_order_key((label,)))
    ]


def differences(tallied: list[GroupCounts], live: list[GroupCounts]) -> list[str]:
    """Where figures from the tallies and from the rows disagree (empty when they agree).

    Score sums may differ by the rounding to thousandths the tallies keep them in: at most
    0.0005 a person, and 0.1 a person for the sum of squares (|x² - y²| = |x - y| |x + y|).
    """
    problems = []
    if [g.group for g in tallied] != [g.group for g in live]:
        return [f"groups {[g.group for g in tallied]} != {[g.group for g in live]}"]
    for a, b in zip(tallied, live, strict=True):
        exact = ("n", "bands", "flagged", "median", "no_opportunity", "answers")
        for name in exact:
            mine, theirs = getattr(a, name), getattr(b, name)
            if mine != theirs:
                if isinstance(mine, Mapping):
                    mine, theirs = dict(mine), dict(theirs)
                problems.append(f"{a.group}: {name} {mine!r} != {theirs!r}")
        if abs(a.readiness_sum - b.readiness_sum) > 0.0005 * a.n + 1e-9:
            problems.append(f"{a.group}: score sum {a.readiness_sum} != {b.readiness_sum}")
        if abs(a.readiness_sumsq - b.readiness_sumsq) > 0.1 * a.n + 1e-9:
            problems.append(f"{a.group}: sum of squares {a.readiness_sumsq} != {b.readiness_sumsq}")
    return problems


@dataclass(frozen=True)
class Totals:
    participants: int
    score_sum: float
    any_flag: int
    any_high: int


def programme_totals(framework_ids: Collection[str]) -> dict[str, Totals]:
    """Participants, score sum and people with any (high) flag per built programme.

    Every counted person is in exactly one staff group, so that grouping's rows add up to
    the programme.
    """
    sums = (
        select(CohortTally.framework_id, func.sum(CohortTally.people), func.sum(CohortTally.score_milli))
        .where(CohortTally.framework_id.in_(list(framework_ids)), CohortTally.grouping == "staff_group")
        .group_by(CohortTally.framework_id)
    )
    flagged = (
        select(CohortTallyFlag.framework_id, CohortTallyFlag.flag_key, func.sum(CohortTallyFlag.people))
        .where(
            CohortTallyFlag.framework_id.in_(list(framework_ids)),
            CohortTallyFlag.grouping == "staff_group",
            CohortTallyFlag.flag_key.in_([ANY_FLAG, high(ANY_FLAG)]),
        )
        .group_by(CohortTallyFlag.framework_id, CohortTallyFlag.flag_key)
    )
    any_counts: dict[tuple[str, str], int] = {
        (framework_id, key): int(people or 0) for framework_id, key, people in db.session.execute(flagged)
    }
    return {
        framework_id: Totals(
            participants=int(people or 0),
            score_sum=int(milli or 0) / 1000,
            any_flag=any_counts.get((framework_id, ANY_FLAG), 0),
            any_high=any_counts.get((framework_id, high(ANY_FLAG)), 0),
        )
        for framework_id, people, milli in db.session.execute(sums)
        if people
    }


__all__ = [
    "ANY_FLAG",
    "Delta",
    "GroupSums",
    "add_rows",
    "apply",
    "built",
    "bump",
    "check",
    "count",
    "differences",
    "group_counts",
    "is_built",
    "person_changing",
    "programme_totals",
    "rebuild",
    "rebuild_missing",
    "release_due",
    "start_if_new",
    "versions",
]
