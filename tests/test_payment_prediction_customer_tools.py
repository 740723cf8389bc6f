"""Plain pytest + hypothesis: scoring a few customers with the ledger's figures the nightly
run stored gives the forecast the whole ledger gives."""

import json
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.credit_collection.tools import payment_prediction as pp

DAY0 = date(2024, 1, 1)


def _invoice(key, customer, day, days=None, *, channel="", disputed=False):
    invoice_date = DAY0 + timedelta(days=day)
    return pp.Invoice(
        key=key,
        customer=customer,
        invoice_date=invoice_date,
        due_date=invoice_date + timedelta(days=30),
        amount=100.0,
        channel=channel,
        disputed=disputed,
        settled=invoice_date + timedelta(days=days) if days is not None else None,
    )


settled_rows = st.lists(
    st.tuples(
        st.sampled_from("ABCDE"),
        st.integers(0, 300),
        st.integers(0, 120),
        st.sampled_from(["", "Paper"]),
        st.booleans(),
    ),
    min_size=1,
    max_size=150,
)


@settings(max_examples=200, deadline=None)
@given(settled_rows, st.sampled_from("ABCF"), st.integers(0, 400), st.booleans())
def test_a_customer_scored_with_the_stored_figures_gets_the_ledger_s_forecast(
    rows, customer, day, disputed
):
    invoices = [
        _invoice(i, c, d, days, channel=channel, disputed=dispute)
        for i, (c, d, days, channel, dispute) in enumerate(rows)
    ]
    full = pp.History(invoices)
    today = DAY0 + timedelta(days=day)
    # stored as JSON on the company, read back
    stored = json.loads(json.dumps(pp.ledger_summary(full.ledger(today))))
    own = pp.CustomerHistory([inv for inv in invoices if inv.customer == customer], stored)
    new = _invoice("new", customer, max(day - 20, 0), disputed=disputed)
    for known in (True, False):
        expected = pp.forecast(new, full, as_of=today, disputes_known=known)
        assert pp.forecast(new, own, as_of=today, disputes_known=known) == expected
    assert own.has_history(today, customer) == full.has_history(today, customer)


def test_the_stored_figures_stay_small_whatever_the_ledger():
    invoices = [_invoice(i, i % 50, i % 365, i % 90, disputed=i % 7 == 0) for i in range(20000)]
    figures = pp.ledger_summary(pp.History(invoices).ledger(DAY0 + timedelta(days=500)))
    assert len(figures["deviations"]) == pp.LEDGER_DECILES
    assert len(figures["dispute_deviations"]) == pp.MAX_DISPUTE_POINTS
    assert len(json.dumps(figures)) < 5000


def test_a_customer_without_history_leans_on_its_group_once_the_group_has_enough():
    group = [_invoice(i, f"g{i % 3}", i, 50) for i in range(pp.MIN_GROUP_SETTLED)]
    for invoice in group:
        object.__setattr__(invoice, "group", "slow")
    others = [_invoice(100 + i, "other", i, 20) for i in range(60)]
    history = pp.History(group + others)
    today = DAY0 + timedelta(days=200)
    newcomer = pp.Invoice("new", "new", today, today + timedelta(days=30), 1.0, group="slow")
    assert pp.forecast(newcomer, history, as_of=today).p50 == 50
    # too few of the group settled yet: the whole ledger (60 x 20 days, 30 x 50)
    early = DAY0 + timedelta(days=60)
    assert pp.forecast(newcomer, history, as_of=early).p50 == 20
    # no group: the whole ledger
    alone = pp.Invoice("alone", "alone", today, today + timedelta(days=30), 1.0)
    assert pp.forecast(alone, history, as_of=today).p50 == 20
    # the stored figures give the same
    stored = json.loads(
        json.dumps(
            pp.ledger_summary(
                history.ledger(today),
                {g: history.ledger_of(today, g) for g in history.groups()},
            )
        )
    )
    assert pp.forecast(newcomer, pp.CustomerHistory([], stored), as_of=today).p50 == 50
