"""Plain pytest: the demo scripts stay sound without loading them into a test database.

`make demo` runs scripts/demo_data.py and scripts/import_ibm.py in an Odoo shell; loading them
here would slow every test run by minutes, so these tests read their tables statically.
"""

import ast
import csv
import os
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _constants(script):
    """The literal module-level constants of a scripts/ script, by name."""
    tree = ast.parse((SCRIPTS / script).read_text(encoding="utf-8"))
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                constants[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return constants


def test_demo_has_forty_customers_of_every_profile_in_both_companies():
    demo = _constants("demo_data.py")
    customers = demo["CUSTOMERS"]
    assert len(customers) == 40
    assert len({name for name, *_rest in customers}) == 40
    assert {profile for *_head, profile, _company in customers} == set(demo["PROFILES"])
    assert {company for *_head, company in customers} == {"main", "usd"}
    assert {lang for _n, _d, _c, lang, _p, _co in customers} == {"zh_CN", "en_US"}


def test_demo_has_one_user_per_role():
    users = {login: groups for login, _name, _lang, groups in _constants("demo_data.py")["USERS"]}
    assert "sales_team.group_sale_salesman" in users["sales"]
    assert "credit_collection.group_credit_collector" in users["collector"]
    assert "credit_collection.group_credit_manager" in users["manager"]


def test_ibm_country_codes_are_all_mapped():
    path = Path(
        os.environ.get("IBM_CSV")
        or SCRIPTS.parent.parent / "shared/data/ibm-accounts-receivable.csv"
    )
    if not path.is_file():
        pytest.skip(f"IBM sample not found at {path}")
    with open(path, newline="", encoding="utf-8") as handle:
        codes = {row["countryCode"] for row in csv.DictReader(handle)}
    assert codes <= set(_constants("import_ibm.py")["COUNTRIES"])
