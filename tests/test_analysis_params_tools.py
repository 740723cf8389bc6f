"""Plain pytest: the parameters of an on-screen analysis, as the browser sends them back."""

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.credit_collection.tools import analysis_params as params

# any JSON value: what a forged context may hold
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=20,
)


def test_good_values_are_read():
    assert params.date_param("as_of", "2024-03-31") == date(2024, 3, 31)
    assert params.choice_param("basis", "due", ("due", "invoice")) == "due"
    assert params.ids_param("partner_ids", []) == []
    assert params.ids_param("company_ids", [1, 2], required=True) == [1, 2]
    assert params.limits_param("limits", [0, 30, 60, 90, 180]) == (0, 30, 60, 90, 180)


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (lambda v: params.date_param("as_of", v), "2024-03-31'; DROP TABLE x; --"),
        (lambda v: params.date_param("as_of", v), "2024-02-30"),
        (lambda v: params.date_param("as_of", v), 20240331),
        (lambda v: params.choice_param("basis", v, ("due", "invoice")), "due OR 1=1"),
        (lambda v: params.ids_param("ids", v), [1, "2"]),
        (lambda v: params.ids_param("ids", v), [True]),
        (lambda v: params.ids_param("ids", v), [0]),
        (lambda v: params.ids_param("ids", v), [2**31]),
        (lambda v: params.ids_param("ids", v, required=True), []),
        (lambda v: params.limits_param("limits", v), [30, 60]),
        (lambda v: params.limits_param("limits", v), [0, 60, 30]),
        (lambda v: params.limits_param("limits", v), [0, 10**12]),
        (lambda v: params.limits_param("limits", v), [0, 30.0]),
    ],
)
def test_bad_values_are_refused_naming_the_parameter(check, value):
    with pytest.raises(params.BadParameter) as caught:
        check(value)
    assert caught.value.value == value


@given(value=JSON)
def test_any_json_is_read_into_its_type_or_refused(value):
    """Whatever the browser sends, each check returns a value of its type or refuses it."""
    value = json.loads(json.dumps(value))
    checks = [
        (lambda: params.date_param("as_of", value), date),
        (lambda: params.choice_param("basis", value, ("due", "invoice")), str),
        (lambda: params.ids_param("ids", value), list),
        (lambda: params.limits_param("limits", value), tuple),
    ]
    for check, kind in checks:
        try:
            result = check()
        except params.BadParameter:
            continue
        assert isinstance(result, kind)
        if kind is list:
            assert all(type(item) is int and 0 < item <= params.MAX_ID for item in result)
        if kind is tuple:
            assert result[0] == 0 and list(result) == sorted(set(result))
