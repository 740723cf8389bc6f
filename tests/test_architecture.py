"""Plain pytest: the architecture rules a reader relies on, checked on the source.

One query layer knows which lines are receivable and reads the residuals; one file owns
the collection case's state; no function or file grows past what a reader takes in.
"""

import ast
import re
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent
# the addon's runtime code: development scripts and the tests themselves are not part of it
RUNTIME = ("models", "wizards", "reports", "tools", "controllers")
QUERY_LAYER = ADDON / "models" / "credit_receivable_query.py"


def _runtime_files(suffixes=(".py",)):
    for folder in RUNTIME:
        for path in sorted((ADDON / folder).rglob("*")):
            if path.suffix in suffixes:
                yield path


def _sql_texts(path):
    """The string constants of a module that look like SQL."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and re.search(r"\b(SELECT|UPDATE|INSERT|JOIN)\b", node.value):
            yield node.value


def test_the_receivable_account_type_is_named_in_two_files_at_most():
    files = {
        path.relative_to(ADDON).as_posix()
        for path in _runtime_files((".py", ".xml"))
        if "asset_receivable" in path.read_text(encoding="utf-8")
    }
    files |= {
        path.relative_to(ADDON).as_posix()
        for folder in ("views", "data", "security")
        for path in (ADDON / folder).rglob("*.xml")
        if "asset_receivable" in path.read_text(encoding="utf-8")
    }
    assert "models/credit_receivable_query.py" in files
    assert len(files) <= 2, sorted(files)


def test_no_sql_outside_the_query_layer_reads_journal_item_residuals():
    offenders = [
        path.relative_to(ADDON).as_posix()
        for path in _runtime_files()
        if path != QUERY_LAYER
        for sql in _sql_texts(path)
        if "account_move_line" in sql and "residual" in sql
    ]
    assert not offenders


def test_the_case_state_is_written_in_its_own_file_only():
    written = re.compile(r"""["']state["']\s*:""")
    offenders = []
    for path in _runtime_files():
        text = path.read_text(encoding="utf-8")
        if path.name == "collection_case.py":
            continue
        tree = ast.parse(text)
        for node in ast.walk(tree):
            # a write of "state" on something reached through a case: case._write_decision,
            # case.write, case_id.write ...
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in ("write", "_write_decision", "update"):
                continue
            target = ast.unparse(node.func.value)
            if "case" in target and written.search(ast.unparse(node)):
                offenders.append(f"{path.relative_to(ADDON)}:{node.lineno}")
    assert not offenders


def test_no_function_over_60_lines_and_no_file_over_600():
    long_functions, long_files = [], []
    for path in _runtime_files():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 600:
            long_files.append(path.relative_to(ADDON).as_posix())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    long_functions.append(f"{path.relative_to(ADDON)}:{node.name} ({length})")
    assert not long_files
    assert not long_functions


def test_one_view_file_per_model_named_after_it():
    """A reader finds a model's screens by its name: views/<model>_views.xml, or
    wizards/<model>_views.xml for a wizard; a header and its lines may share one file."""
    offenders = []
    for folder in ("views", "wizards"):
        for path in sorted((ADDON / folder).glob("*.xml")):
            models = set(re.findall(r'<field name="model">([a-z0-9_.]+)</field>', path.read_text()))
            if not models:
                continue  # menus
            expected = path.name.removesuffix("_views.xml").replace("_", ".")
            if any(not (model == expected or model.startswith(expected + ".")) for model in models):
                offenders.append(f"{path.relative_to(ADDON)}: {sorted(models)}")
    assert not offenders


def test_every_test_file_is_imported_by_the_tests_package():
    """Odoo's own runner (``odoo-bin --test-enable``) finds the tests the package imports;
    pytest-odoo finds the files. A file missing from ``tests/__init__.py`` runs in one and
    not the other."""
    tests = ADDON / "tests"
    imported = set(re.findall(r"\b(test_\w+)\b", (tests / "__init__.py").read_text()))
    files = {path.stem for path in tests.glob("test_*.py")}
    assert sorted(files - imported) == []
