"""Plain pytest + hypothesis: the cash-in forecast's arithmetic, without a database."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.credit_collection.tools import cash_in_forecast as cif
from odoo.addons.credit_collection.tools import payment_prediction as pp

DAY0 = date(2024, 1, 1)

days_to_settle = st.integers(min_value=0, max_value=200)
amounts = st.floats(min_value=0.01, max_value=1e7, allow_nan=False, allow_infinity=False)


@st.composite
def histories(draw):
    """Settled invoices of a few customers, each with its own days to settle."""
    settled = []
    for customer in range(draw(st.integers(min_value=0, max_value=4))):
        for index, days in enumerate(draw(st.lists(days_to_settle, min_size=1, max_size=15))):
            invoice_date = DAY0 + timedelta(days=index * 7)
            settled.append(
                pp.Invoice(
                    key=(customer, index),
                    customer=customer,
                    invoice_date=invoice_date,
                    due_date=invoice_date + timedelta(days=30),
                    amount=100.0,
                    disputed=draw(st.booleans()),
                    settled=invoice_date + timedelta(days=days),
                )
            )
    return settled


def _open(customer, amount, day=400, disputed=False):
    invoice_date = DAY0 + timedelta(days=day)
    return pp.Invoice(
        key="open",
        customer=customer,
        invoice_date=invoice_date,
        due_date=invoice_date + timedelta(days=30),
        amount=amount,
        disputed=disputed,
    )


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(min_value=0, max_value=5), st.booleans())
def test_p10_p50_p90_are_ordered_for_any_history(settled, customer, disputed):
    invoice = _open(customer, 100.0, disputed=disputed)
    for known in (True, False):
        forecast = pp.forecast(invoice, pp.History(settled), disputes_known=known)
        assert forecast.p10 <= forecast.p50 <= forecast.p90


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(min_value=0, max_value=5), amounts)
def test_spread_cash_in_conserves_the_amount(settled, customer, amount):
    invoice = _open(customer, amount)
    forecast = pp.forecast(invoice, pp.History(settled))
    spread = pp.spread_cash_in(invoice, forecast, pp.week_of)
    assert abs(sum(spread.values()) - amount) <= 1e-9 * amount


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=300))
def test_payment_days_lie_ahead_of_an_open_invoice(settled, customer, age):
    invoice = _open(customer, 100.0)
    today = invoice.invoice_date + timedelta(days=age)
    forecast = pp.forecast(invoice, pp.History(settled), as_of=today)
    days = cif.payment_days(invoice, forecast, today)
    assert days is None or all(day >= today for day in days)


@given(st.integers(min_value=-(10**12), max_value=10**12), st.lists(st.integers(0, 60), min_size=1))
def test_split_units_adds_up_exactly(units, offsets):
    days = [DAY0 + timedelta(days=offset) for offset in offsets]
    parts = cif.split_units(units, days)
    assert sum(parts.values()) == units
    assert set(parts) == set(days)
    # equal shares: no two days differ by more than one unit per share they take
    for day, part in parts.items():
        shares = days.count(day)
        assert abs(part - shares * units / len(days)) <= shares


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["CNY", "USD", "EUR"]),
            st.lists(st.integers(0, 90), min_size=1, max_size=12),
            st.integers(min_value=-(10**9), max_value=10**10),
            st.integers(min_value=-(10**9), max_value=10**10),
        ),
        max_size=30,
    )
)
def test_the_forecast_total_equals_the_open_receivables(invoices):
    """Per currency in that currency, and in company currency over all: to the unit."""
    entries = [
        (currency, [DAY0 + timedelta(days=o) for o in offsets], units, company_units)
        for currency, offsets, units, company_units in invoices
    ]
    totals = cif.aggregate(entries)
    for currency in ("CNY", "USD", "EUR"):
        expected = sum(units for cur, _days, units, _c in entries if cur == currency)
        assert sum(row[0] for (cur, _day), row in totals.items() if cur == currency) == expected
    assert sum(row[1] for row in totals.values()) == sum(entry[3] for entry in entries)
    for row in totals.values():
        assert row[2] >= 0
        low, high = cif.band(row[1], row[2])
        assert low <= row[1] <= high


def test_a_certain_payment_has_no_band_and_an_uncertain_one_has():
    day = DAY0
    certain = cif.aggregate([("CNY", [day], 1000, 1000)])
    assert certain[("CNY", day)] == [1000, 1000, 0.0]
    assert cif.band(1000, 0.0) == (1000, 1000)
    # 1,000 paid on one of four days: 250 expected each day, variance 1000^2 * 1/4 * 3/4
    uncertain = cif.aggregate([("CNY", [day + timedelta(days=i) for i in range(4)], 1000, 1000)])
    assert uncertain[("CNY", day)] == [250, 250, 187500.0]
    low, high = cif.band(250, 187500.0)
    assert low == 0 and round(high, 2) == round(250 + cif.Z_80 * 187500.0**0.5, 2)


def test_an_invoice_open_beyond_its_history_has_no_payment_days():
    earlier = DAY0 - timedelta(days=100)
    settled = [
        pp.Invoice(i, "A", earlier, earlier, 100.0, settled=earlier + timedelta(days=20))
        for i in range(5)
    ]
    invoice = _open("A", 100.0, day=0)
    forecast = pp.forecast(invoice, pp.History(settled), as_of=DAY0 + timedelta(days=10))
    assert (
        cif.payment_days(invoice, forecast, DAY0 + timedelta(days=10))
        == [DAY0 + timedelta(days=20)] * 5
    )
    assert cif.payment_days(invoice, forecast, DAY0 + timedelta(days=60)) is None
