"""The ``certready`` command's domain half: frameworks, assess, compare, report."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from assessments import engine
from assessments.framework import shipped_frameworks
from assessments.profile import load_profile
from assessments.ratings import load_ratings
from assessments.results import whole_score

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PROFILE = str(EXAMPLES / "profile-part-time-carer.yaml")
RATINGS = str(EXAMPLES / "ratings-dhlp.yaml")
DHLP = "nhs-digital-academy-dhlp"


def test_frameworks_list_names_every_shipped_framework(certready):
    result = certready("frameworks", "list", "--json")
    assert result.exit_code == 0
    listed = {item["id"] for item in json.loads(result.output)}
    assert listed == set(shipped_frameworks())


def test_frameworks_check_passes_good_files_and_fails_bad_ones_with_key_paths(certready, tmp_path):
    good = sorted(Path("assessments/frameworks").glob("*.yaml"))[0]
    bad = tmp_path / "broken.yaml"
    text = good.read_text().replace("required_level: 1", "required_level: 9", 1)
    bad.write_text(text)
    result = certready("frameworks", "check", str(good), str(bad))
    assert result.exit_code == 1
    assert f"{good.name}: ok" in result.output
    assert "broken.yaml: domains[" in result.output
    assert "required_level: must be between 0 and" in result.output
    assert "Traceback" not in result.output


def test_assess_json_matches_the_engine_and_the_contract(certready):
    result = certready("assess", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    framework = shipped_frameworks()[DHLP]
    expected = engine.run(
        framework, load_profile(PROFILE), load_ratings(RATINGS, framework), shipped_frameworks()
    ).to_json()
    assert printed == json.loads(json.dumps(expected))
    assert printed["framework"] == DHLP
    assert printed["framework_version"] == framework.version
    assert set(printed["readiness"]) >= {"score", "band", "domains"}
    assert all(set(d) >= {"id", "title", "score"} for d in printed["readiness"]["domains"])
    for flag in printed["risks"]:
        assert set(flag) == {
            "rule",
            "category",
            "severity",
            "requirement",
            "circumstance",
            "explanation",
            "mitigations",
        }
        assert flag["severity"] in {"high", "medium", "low", "undetermined"}
    # The example is a part-time social care manager: the NHS-only sector rule must fire.
    assert any(flag["category"] == "eligibility-sector" for flag in printed["risks"])


def test_assess_accepts_a_framework_file_path(certready):
    path = str(Path("assessments/frameworks") / f"{DHLP}.yaml")
    result = certready("assess", "--framework", path, "--profile", PROFILE, "--ratings", RATINGS, "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["framework"] == DHLP


def test_assess_text_output_reports_score_and_opportunity_gaps(certready):
    result = certready("assess", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS)
    assert result.exit_code == 0
    assert "Readiness:" in result.output
    assert "gaps are about opportunity, not ability" in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"framework": "no-such-programme"}, "unknown framework 'no-such-programme'"),
        ({"profile": "staff_group: robot\n"}, "staff_group: must be one of 'clinical' or 'non-clinical'"),
        ({"ratings": "dhlp.not-a-criterion: 2\n"}, "dhlp.not-a-criterion: not a criterion of"),
        ({"ratings": "dhlp.evaluation: 7\n"}, "dhlp.evaluation: level must be a whole number from 0 to 4"),
        ({"ratings": "- just\n- a list\n"}, "ratings must be a mapping"),
    ],
)
def test_assess_bad_input_gets_a_clear_error_and_exit_1(certready, tmp_path, change, message):
    profile = tmp_path / "profile.yaml"
    ratings = tmp_path / "ratings.yaml"
    profile.write_text(change.get("profile", Path(PROFILE).read_text()))
    ratings.write_text(change.get("ratings", Path(RATINGS).read_text()))
    result = certready(
        "assess",
        "--framework",
        change.get("framework", DHLP),
        "--profile",
        str(profile),
        "--ratings",
        str(ratings),
        "--json",
    )
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_compare_ranks_every_programme_and_labels_estimates(certready):
    result = certready("compare", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS, "--json")
    assert result.exit_code == 0
    programmes = json.loads(result.output)["programmes"]
    assert {p["framework_id"] for p in programmes} == set(shipped_frameworks())
    rated = [p for p in programmes if not p["is_estimate"]]
    assert [p["framework_id"] for p in rated] == [DHLP]
    order = {"eligible": 0, "undetermined": 1, "not-eligible": 2}
    ranks = [(order[p["eligibility"]["status"]], p["high_flags"], -p["readiness"]) for p in programmes]
    assert ranks == sorted(ranks)
    table = certready("compare", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS)
    assert "ESTIMATES" in table.output
    dhlp_row = next(
        line for line in table.output.splitlines() if line.startswith("Digital Health Leadership")
    )
    assert "Not settled" in dhlp_row


def test_assess_says_eligibility_beside_readiness_in_json_and_text(certready, tmp_path):
    """A supplier's employee cannot join the DHLP (not eligible); a social care lead may, if their
    service is NHS-commissioned, which only they can confirm (undetermined, never "eligible")."""
    supplier = tmp_path / "supplier.yaml"
    supplier.write_text(Path(PROFILE).read_text().replace("sector: social-care", "sector: supplier"))
    printed = json.loads(
        certready(
            "assess", "--framework", DHLP, "--profile", str(supplier), "--ratings", RATINGS, "--json"
        ).output
    )
    # The example's employer has not said whether it would sponsor her: two more requirements to check.
    sponsor = ["executive-sponsor", "protected-time"]
    assert printed["eligibility"] == {"status": "not-eligible", "blocking": ["sector"], "unknown": sponsor}
    text = certready("assess", "--framework", DHLP, "--profile", str(supplier), "--ratings", RATINGS).output
    band = printed["readiness"]["band_label"].lower()
    assert f"Your skills are {band}; you are not currently eligible for this programme" in text
    sector = next(flag for flag in printed["risks"] if flag["rule"] == "sector")
    assert sector["circumstance"] in text

    carer = json.loads(
        certready("assess", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS, "--json").output
    )
    assert carer["eligibility"] == {"status": "undetermined", "blocking": [], "unknown": ["sector", *sponsor]}
    text = certready("assess", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS).output
    assert "we could not settle whether you are eligible" in text
    assert "commissioned NHS service" in text


def test_report_from_files_writes_a_pdf_with_the_score(certready, tmp_path):
    out = tmp_path / "report.pdf"
    result = certready(
        "report", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS, "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assessed = json.loads(
        certready("assess", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS, "--json").output
    )
    assert f"Readiness score: {whole_score(assessed['readiness']['score'])} out of 100" in text
    assert not (tmp_path / "report.pdf.part").exists()


def test_report_needs_either_files_or_an_assessment(certready, tmp_path):
    result = certready("report", "--framework", DHLP, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "--framework, --profile and --ratings are needed together" in result.output


def test_report_for_an_assessment_on_an_empty_database_says_to_run_init_db(certready, tmp_path):
    result = certready("report", "--assessment", "5", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "run `certready init-db`" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_assess_and_report_list_profile_and_ratings_problems_together(certready, tmp_path):
    profile = tmp_path / "profile.yaml"
    ratings = tmp_path / "ratings.yaml"
    profile.write_text("staff_group: robot\n")
    ratings.write_text("dhlp.evaluation: 7\n")
    for command in (["assess"], ["report", "-o", str(tmp_path / "r.pdf")]):
        result = certready(
            *command, "--framework", DHLP, "--profile", str(profile), "--ratings", str(ratings)
        )
        assert result.exit_code == 1
        assert "staff_group: must be one of" in result.output
        assert "dhlp.evaluation: level must be a whole number" in result.output
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ("frameworks", "list"),
        ("frameworks", "check", "assessments/frameworks/bcs-citp.yaml"),
        ("assess", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS),
        ("compare", "--framework", DHLP, "--profile", PROFILE, "--ratings", RATINGS),
    ],
    ids=lambda argv: " ".join(argv[:2]) if argv[0] == "frameworks" else argv[0],
)
def test_commands_that_need_no_app_do_not_build_it_or_import_weasyprint(argv, tmp_path):
    """A lean start: these commands read files only, so neither the web app nor WeasyPrint loads.

    Run without a secret key: a command that builds no app does not need one.
    """
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(EXAMPLES.parent),
        "CERTREADY_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    heavy = ("weasyprint", "flask_sqlalchemy", "flask_migrate", "alembic", "argon2", "app.extensions")
    _, loaded = _probe(argv, env, heavy)
    assert loaded == []


_APP_PROBE = """
import atexit, json, sys
from app.cli import main

def _loaded():
    print("LOADED", json.dumps(sorted(name for name in WATCHED if name in sys.modules)), file=sys.stderr)

WATCHED = [name for name in sys.argv.pop(1).split(",") if name]
atexit.register(_loaded)
main(sys.argv[1:])
"""

# Web-layer modules no command that serves no page needs: every blueprint's views, the rate
# limiter, CSRF, PostgreSQL's dialect on SQLite, WeasyPrint and the document libraries.
WEB_LAYER = (
    "weasyprint",
    "docx",
    "lxml",
    "flask_limiter",
    "flask_wtf.csrf",
    "sqlalchemy.dialects.postgresql",
    "app.auth.views",
    "app.main.views",
    "app.journey.views",
    "app.reports.views",
    "app.privacy.views",
    "app.designer.views",
    "app.consultation.views",
)
MIGRATIONS = ("flask_migrate", "alembic")
# The domain's Pydantic models and the rules built on them: a command that only counts and checks
# stored rows needs the vocabulary and the rule catalogue (plain data), not these.
PYDANTIC_DOMAIN = ("pydantic", "assessments.framework", "assessments.profile", "assessments.risks")


def _probe_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(EXAMPLES.parent),
        "CERTREADY_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "CERTREADY_SECRET_KEY": "test",
        "CERTREADY_ENV": "development",
        "CERTREADY_PASSWORD_HASHING": "fast",
    }


def _python(script: str, args: tuple[str, ...], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a new Python process from the project's folder; it must succeed."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=EXAMPLES.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-800:]
    return done


def _probe(argv: tuple[str, ...], env: dict[str, str], watched: tuple[str, ...]) -> tuple[str, list[str]]:
    """Run ``certready *argv`` in a new process: its standard output and the ``watched`` modules it loaded."""
    done = _python(_APP_PROBE, (",".join(watched), *argv), env)
    line = next(line for line in done.stderr.splitlines() if line.startswith("LOADED "))
    return done.stdout, json.loads(line.removeprefix("LOADED "))


def test_init_db_creates_and_upgrades_without_the_web_layer(tmp_path):
    """``init-db`` imports Alembic (migrating is its job) and the models, but no view, form or limiter."""
    import sqlite3

    env = _probe_env(tmp_path)
    output, loaded = _probe(("init-db",), env, (*WEB_LAYER, *MIGRATIONS, "app.extensions"))
    assert "Database is up to date." in output
    # Alembic imports every dialect it has operations for, PostgreSQL's among them.
    assert loaded == ["alembic", "app.extensions", "flask_migrate", "sqlalchemy.dialects.postgresql"]
    with sqlite3.connect(tmp_path / "x.db") as connection:
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    newest = max(path.name for path in (EXAMPLES.parent / "app/migrations/versions").glob("0*.py"))
    assert version == newest.split("_")[0]
    assert {"user_account", "assessment", "cohort_record", "cohort_tally"} <= tables
    # Already at the head, tallies built: init-db tells from the migration files, the version table
    # and one query, with SQLAlchemy Core: no Alembic, Flask-SQLAlchemy, ORM or models.
    watched = (
        *WEB_LAYER,
        *MIGRATIONS,
        "app.extensions",
        "sqlalchemy.orm",
        "app.models",
        "app.designer.tallies",
    )
    current, loaded = _probe(("init-db",), env, watched)
    assert "Database is up to date." in current
    assert loaded == []
    _probe(("db", "downgrade"), env, ())  # one revision back: init-db upgrades it again
    with sqlite3.connect(tmp_path / "x.db") as connection:
        (older,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert older != version
    again, loaded = _probe(("init-db",), env, MIGRATIONS)
    assert "Database is up to date." in again
    assert loaded == ["alembic", "flask_migrate"]
    with sqlite3.connect(tmp_path / "x.db") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (version,)


def test_create_user_and_cohort_tallies_run_without_the_web_layer(tmp_path):
    import sqlite3

    env = _probe_env(tmp_path)
    _probe(("init-db",), env, ())
    argv = ("create-user", "Jo@Example.org", "--role", "designer", "--password", "a long enough passphrase")
    output, loaded = _probe(argv, env, (*WEB_LAYER, *MIGRATIONS))
    assert "Created designer account jo@example.org" in output
    # It checks the email's length against the registration form's limit, so it loads the form
    # module (and Flask-WTF), but no view.
    assert loaded == ["flask_wtf.csrf"]
    with sqlite3.connect(tmp_path / "x.db") as connection:
        rows = connection.execute("SELECT email, role FROM user_account").fetchall()
    assert rows == [("jo@example.org", "designer")]

    output, loaded = _probe(("cohort-tallies",), env, (*WEB_LAYER, *MIGRATIONS, *PYDANTIC_DOMAIN))
    assert "match a recount" in output
    assert loaded == []


@pytest.mark.parametrize("argv", [("--help",), ("create-user", "--help"), ("db", "--help")], ids=" ".join)
def test_help_builds_no_app(argv, tmp_path):
    """``certready --help`` lists every command from the names alone; no app, models or views load."""
    from app.cli import APP_COMMANDS

    watched = (*WEB_LAYER, "app.extensions", "app.models", "flask_sqlalchemy", "alembic", "sqlalchemy")
    output, loaded = _probe(argv, _probe_env(tmp_path), watched)
    # ``db --help`` shows Flask-Migrate's own help, so it binds Flask-Migrate (and Alembic, with
    # the dialects it has operations for) to the app without pages. Listing commands imports
    # their modules, so none of them may import SQLAlchemy at the top (about 0.2 s).
    migrating = [
        "alembic",
        "app.extensions",
        "flask_sqlalchemy",
        "sqlalchemy",
        "sqlalchemy.dialects.postgresql",
    ]
    assert loaded == (migrating if argv[0] == "db" else [])
    if argv == ("--help",):
        listed = {line.split()[0] for line in output.split("Commands:")[1].splitlines() if line.strip()}
        domain = {"frameworks", "assess", "compare", "report"}
        assert listed >= {*APP_COMMANDS, *domain, "routes", "run", "shell"}
    if argv[0] == "create-user":
        assert "[participant|designer|admin]" in output


def test_routes_lists_the_whole_web_app_without_weasyprint(tmp_path):
    """``routes`` needs the URL map, so it builds the web app: every blueprint, no PDF libraries."""
    env = _probe_env(tmp_path)
    output, loaded = _probe(("routes",), env, ("weasyprint", "docx", "alembic", "app.designer.views"))
    assert loaded == ["app.designer.views"]
    endpoints = {line.split()[0] for line in output.splitlines()[2:]}
    assert {"designer.dashboard", "journey.choose_programme", "auth.login", "reports.download"} <= endpoints


def test_the_web_app_registers_everything_and_the_command_app_nothing_of_the_web(tmp_path, monkeypatch):
    from app import create_app
    from app.cli import APP_COMMANDS

    monkeypatch.setenv("CERTREADY_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("CERTREADY_SECRET_KEY", "test")
    web = create_app()
    blueprints = {"main", "auth", "journey", "reports", "privacy", "designer", "consultation"}
    assert set(web.blueprints) == blueprints
    assert set(web.cli.commands) >= {*APP_COMMANDS, "frameworks", "assess", "compare", "report"}
    assert {"csrf", "limiter"} <= set(web.extensions)
    commands_app = create_app(pages=False)
    assert commands_app.blueprints == {}
    assert [rule.endpoint for rule in commands_app.url_map.iter_rules()] == ["static"]
    assert "sqlalchemy" in commands_app.extensions
    assert not {"csrf", "limiter"} & set(commands_app.extensions)


def test_commands_without_pages_work_on_a_demo_database(certready, tmp_path):
    """Each database command runs against the app without pages, end to end, in process."""
    assert certready("init-db").exit_code == 0
    assert "Demo participant: demo.participant@example.org" in certready("demo-data").output
    added = certready("demo-cohort", "--framework", DHLP, "--n", "40")
    assert "Added 40 synthetic participants" in added.output
    table = json.loads(certready("cohort", "--framework", DHLP, "--by", "contract", "--json").output)
    assert table["participants"] == 40  # the demo participant did not consent to analysis
    assert certready("cohort-tallies").exit_code == 0
    assert "impact over time" in certready("impact", "--framework", DHLP).output
    assert "Content validity of" in certready("content-validity", "--framework", DHLP).output
    out = tmp_path / "report.pdf"
    assert certready("report", "--assessment", "1", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_the_db_group_binds_flask_migrate_when_used(tmp_path):
    env = _probe_env(tmp_path)
    _probe(("init-db",), env, ())
    output, loaded = _probe(("db", "current"), env, MIGRATIONS)
    assert "(head)" in output
    assert loaded == ["alembic", "flask_migrate"]
    helped, _ = _probe(("db", "--help"), env, ())
    assert "upgrade" in helped
    assert "--directory" in helped


def test_cohort_reads_only_its_own_programme_file(tmp_path):
    """A command about one shipped programme reads that file, not all twelve (about 0.1 s)."""
    env = _probe_env(tmp_path)
    _probe(("init-db",), env, ())
    script = (
        "import atexit, sys\n"
        "from assessments import framework\n"
        "atexit.register(lambda: print('CATALOGUE', framework.shipped_frameworks.cache_info().currsize,"
        " framework._shipped_by_file.cache_info().currsize, file=sys.stderr))\n"
        "from app.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    panel = str(EXAMPLES / "panel-dhlp.yaml")
    for argv in (
        ("cohort", "--framework", DHLP, "--by", "contract"),
        ("content-validity", "--framework", DHLP, "--panel", panel),
    ):
        done = _python(script, argv, env)
        assert "Digital Health Leadership Programme" in done.stdout
        assert "CATALOGUE 0 1" in done.stderr, argv


def test_content_validity_binds_the_database_only_to_read_participants(tmp_path):
    """A panel file is all ``content-validity --panel`` reads: no Flask-SQLAlchemy, ORM or models."""
    env = _probe_env(tmp_path)
    _probe(("init-db",), env, ())
    database = ("app.extensions", "flask_sqlalchemy", "sqlalchemy.orm", "app.models")
    panel = str(EXAMPLES / "panel-dhlp.yaml")
    output, loaded = _probe(("content-validity", "--framework", DHLP, "--panel", panel), env, database)
    assert "from a panel of 24 raters" in output
    assert loaded == []
    output, loaded = _probe(("content-validity", "--framework", DHLP), env, database)
    assert "from a panel of fewer than 10 raters" in output  # the participants: none yet
    assert loaded == sorted(database)
