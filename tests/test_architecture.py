"""Meta-tests that keep the layering and conventions honest (STYLE.md §1, §8, §15)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask, template_rendered
from wtforms import Form

ROOT = Path(__file__).resolve().parent.parent
WEB_OR_DB = {
    "flask",
    "flask_wtf",
    "flask_login",
    "flask_sqlalchemy",
    "sqlalchemy",
    "werkzeug",
    "wtforms",
    "app",
}


def top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def test_assessments_stays_framework_free():
    paths = sorted((ROOT / "assessments").rglob("*.py"))
    assert paths, "no assessments package found"
    leaks = {str(p.relative_to(ROOT)): sorted(top_level_imports(p) & WEB_OR_DB) for p in paths}
    assert {path: bad for path, bad in leaks.items() if bad} == {}


def test_top_level_imports_sees_every_import_form(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import flask.json\nfrom sqlalchemy.orm import Session\nfrom . import sibling\nimport os\n"
    )
    assert top_level_imports(sample) == {"flask", "sqlalchemy", "os"}


# Templates receive their form as ``form`` -----------------------------------------------------


def _render_template_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "render_template"
    ]


def test_templates_receive_forms_only_as_form():
    """Anything called ``*form`` passed to a template must be passed as ``form`` (the layout uses it)."""
    wrong = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for call in _render_template_calls(path):
            for keyword in call.keywords:
                value = keyword.value
                passed = getattr(value, "id", None) or getattr(value, "attr", None) or ""
                looks_like_form = passed.endswith("form") or (keyword.arg or "").endswith("form")
                if keyword.arg and looks_like_form and keyword.arg != "form":
                    wrong.append(
                        f"{path.relative_to(ROOT)}:{call.lineno} passes {passed!r} as {keyword.arg!r}"
                    )
    assert wrong == []


def test_forms_reach_templates_only_as_form_at_run_time(app: Flask, client, participant, signed_in):
    """The same rule, checked on real renders of every page that needs no ids."""
    misnamed: list[str] = []
    forms_seen: list[str] = []

    def record(sender: Flask, template, context: dict, **extra) -> None:
        for name, value in context.items():
            if isinstance(value, Form):
                forms_seen.append(template.name)
            if isinstance(value, Form) and name != "form":
                misnamed.append(f"{template.name} got a form as {name!r}")

    signed_in(client, participant)
    with template_rendered.connected_to(record, app):
        for rule in app.url_map.iter_rules():
            if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static"):
                client.get(rule.rule)
        client.post("/logout")
        for path in ("/login", "/register", "/reset-password"):
            assert client.get(path).status_code == 200, path
    assert misnamed == []
    assert len(forms_seen) >= 4, forms_seen


# URL conventions ------------------------------------------------------------------------------------

# A segment is kebab-case words, optionally with a file extension ("report.pdf"), or a parameter.
KEBAB_SEGMENT = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)?|<[^>]+>(\.[a-z0-9]+)?)?$")
STRING_PARAMETERS_ALLOWED = {
    "token",
    "filename",
    "framework_id",
    "criterion_id",
    "domain_id",
    "rule_id",
    "step",
    "section",
}


def test_every_url_is_kebab_case(app: Flask):
    bad = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if not all(KEBAB_SEGMENT.match(segment) for segment in rule.rule.strip("/").split("/"))
    ]
    assert bad == []


def test_numeric_ids_use_the_int_converter(app: Flask):
    """``<int:assessment_id>``: a non-number then answers 404 before any view code runs."""
    bad = []
    for rule in app.url_map.iter_rules():
        for converter, _arguments, variable in _parse(rule.rule):
            if variable.endswith("_id") and variable not in STRING_PARAMETERS_ALLOWED and converter != "int":
                bad.append(f"{rule.rule} ({variable})")
            if converter is None and variable not in STRING_PARAMETERS_ALLOWED:
                bad.append(f"{rule.rule} ({variable} has no converter)")
    assert bad == []


def _parse(rule: str) -> list[tuple[str | None, str | None, str]]:
    found = []
    for match in re.finditer(r"<(?:(?P<converter>[a-z]+)(?:\((?P<args>[^)]*)\))?:)?(?P<variable>\w+)>", rule):
        found.append((match["converter"], match["args"], match["variable"]))
    return found


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("/assessments/<int:assessment_id>/", [("int", None, "assessment_id")]),
        ("/reset-password/<token>", [(None, None, "token")]),
    ],
)
def test_rule_parser(rule, expected):
    assert _parse(rule) == expected


@pytest.mark.parametrize(
    ("segment", "ok"),
    [
        ("assessments", True),
        ("reset-password", True),
        ("report.pdf", True),
        ("<int:assessment_id>", True),
        ("resetPassword", False),
        ("reset_password", False),
        ("Report.PDF", False),
    ],
)
def test_kebab_segment_rule(segment, ok):
    assert bool(KEBAB_SEGMENT.match(segment)) is ok


FIRST_IMPORTS = (
    "app.designer.fields",
    "app.designer.tallies",
    "app.designer.services",
    "app.journey.choices",
    "app.journey.services",
    "app.privacy.services",
)


def test_web_modules_import_on_their_own_without_a_cycle():
    """Each module can be the first one imported: the blueprint packages load their views lazily.

    The designer's fields use the journey's answer labels and the journey's services use the
    designer's services; an eager ``from .views import bp`` in either package ``__init__`` made
    that a cycle that failed whenever the wrong one was imported first.
    """
    script = "import importlib, sys; importlib.import_module(sys.argv[1])"
    for module in FIRST_IMPORTS:
        result = subprocess.run(
            [sys.executable, "-c", script, module], capture_output=True, text=True, check=False, timeout=60
        )
        assert result.returncode == 0, f"{module}: {result.stderr[-800:]}"


# Designer views: HTTP only, one page module each (issue 12 §4) ----------------------------------------

DESIGNER_VIEWS = ROOT / "app" / "designer" / "views.py"
DESIGNER_PAGES = ROOT / "app" / "designer" / "pages"
VIEW_HELPERS = {
    "app.designer.forms",
    "app.designer.fields",
    "app.designer.pages.common",
    "app.designer.views",
}
"""What a designer view may use besides its one page module: the forms and the grouping vocabulary it
parses the request with, and the shared page mechanics (``pages.common``; ``views.render_page`` and the
other helpers a page's own views module imports)."""
HTML_TAG = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(\s|/?>)")
"""An HTML tag or comment; a URL rule's ``<string:framework_id>`` is not one."""


def _designer_names(tree: ast.Module) -> dict[str, str]:
    """Each name imported from ``app.designer`` mapped to its module (a module, or the module it is from)."""
    names: dict[str, str] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").startswith("app.designer")
        ):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                path = ROOT.joinpath(*submodule.split("."))
                is_module = path.with_suffix(".py").exists() or path.is_dir()
                names[alias.asname or alias.name] = submodule if is_module else str(node.module)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("app.designer"):
                    names[alias.asname or alias.name.partition(".")[0]] = alias.name
    return names


def _is_route(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call)
        and isinstance(d.func, ast.Attribute)
        and d.func.attr in {"route", "get", "post"}
        and getattr(d.func.value, "id", None) == "bp"
        for d in function.decorator_list
    )


def designer_modules_per_view(source: str) -> dict[str, set[str]]:
    """For each route of a views module, the ``app.designer`` modules it uses, through its helpers too."""
    tree = ast.parse(source)
    imported = _designer_names(tree)
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}

    def used(function: ast.FunctionDef, seen: set[str]) -> set[str]:
        seen.add(function.name)
        found: set[str] = set()
        body = [node for statement in function.body for node in ast.walk(statement)]  # not the decorators
        for node in body:
            if isinstance(node, ast.Name) and node.id in imported:
                found.add(imported[node.id])
            elif isinstance(node, ast.Name) and node.id in functions and node.id not in seen:
                found |= used(functions[node.id], seen)
        return found

    return {name: used(function, set()) for name, function in functions.items() if _is_route(function)}


def html_in_strings(source: str) -> list[str]:
    """String literals holding an HTML tag or comment; docstrings (``<noun>`` placeholders) aside.

    An f-string is read whole, each ``{...}`` standing for a word, so ``f'<svg x="{w}">'`` counts.
    """
    tree = ast.parse(source)
    skipped = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    texts: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in node.values)
            texts.append("".join(p.value if isinstance(p, ast.Constant) else "x" for p in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            texts.append(node.value)
    return [text for text in texts if HTML_TAG.search(text)]


def _designer_route_modules() -> list[Path]:
    """``views.py`` and any other designer module that puts routes on the blueprint."""
    return [
        path
        for path in sorted((ROOT / "app" / "designer").glob("*.py"))
        if path == DESIGNER_VIEWS
        or re.search(r"^@bp\.(route|get|post)\(", path.read_text(encoding="utf-8"), re.M)
    ]


def test_each_designer_view_calls_one_page_module():
    per_view = {
        f"{path.name}:{view}": modules
        for path in _designer_route_modules()
        for view, modules in designer_modules_per_view(path.read_text(encoding="utf-8")).items()
    }
    assert len(per_view) >= 14, sorted(per_view)
    pages = {view: sorted(modules - VIEW_HELPERS) for view, modules in per_view.items()}
    wrong = {
        view: modules
        for view, modules in pages.items()
        if len(modules) != 1 or not modules[0].startswith("app.designer.pages.")
    }
    assert wrong == {}


def test_no_designer_module_writes_html():
    """Pages, charts and downloads are written by templates; Python passes them data."""
    paths = sorted((ROOT / "app" / "designer").rglob("*.py"))
    found = {str(p.relative_to(ROOT)): html_in_strings(p.read_text(encoding="utf-8")) for p in paths}
    assert {path: strings for path, strings in found.items() if strings} == {}


def test_the_designer_view_checks_catch_what_they_are_for():
    """The old what-if view: three designer modules, and the page split on an HTML comment."""
    source = """
from app.designer import queries, whatif
from app.designer.forms import ScenarioForm
from app.designer.pages import scenarios as scenarios_page
from app.designer.views import bp

def _figures(framework):
    return queries.rule_combinations(framework.id, "contract")

@bp.route("/programmes/<string:framework_id>/what-if", methods=["GET", "POST"])
def what_if(framework_id):
    page = scenarios_page.what_if_form(framework_id)
    head, _, tail = render().partition("<!--results-->")
    return whatif.run(_figures(page.framework), ScenarioForm())

@bp.get("/programmes/<string:framework_id>/scenarios")
def scenarios(framework_id):
    return "<p>" + scenarios_page.scenarios(framework_id) + "</p>"
"""
    assert designer_modules_per_view(source) == {
        "what_if": {
            "app.designer.queries",
            "app.designer.whatif",
            "app.designer.forms",
            "app.designer.pages.scenarios",
        },
        "scenarios": {"app.designer.pages.scenarios"},
    }
    assert sorted(html_in_strings(source)) == ["<!--results-->", "</p>", "<p>"]
    assert html_in_strings(
        'def f():\n    """Reads <noun> and <b>."""\n    return f\'<svg viewBox="0 0 {w} 9">\'\n'
    ) == ['<svg viewBox="0 0 x 9">']
