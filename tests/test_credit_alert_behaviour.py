from datetime import date, timedelta

from odoo.tests import tagged

from .common import TwoCompanyWorldCommon, post_customer_invoice, register_payment

D0 = date(2025, 1, 1)


def day(offset):
    return D0 + timedelta(days=offset)


@tagged("post_install", "-at_install")
class TestBehaviouralWarnings(TwoCompanyWorldCommon):
    """The behavioural early warnings (first late invoice of a punctual customer, paying
    later than its own predicted date, average days late rising), each evaluated as of a
    day, in two companies with two currencies and customers invoiced in a third (EUR)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cny = cls.company_2.currency_id
        cls.Rule = cls.env["credit.alert.rule"]
        cls.Alert = cls.env["credit.alert"]

    # -- builders --------------------------------------------------------

    def _customer(self, name):
        return self.env["res.partner"].create({"name": name, "is_company": True})

    def _invoice(self, partner, dated, due, paid=None, *, company=None, currency=None):
        """An invoice of 1,000 dated ``day(dated)`` due ``day(due)``, paid ``day(paid)``."""
        company = company or self.company
        invoice = post_customer_invoice(
            self.env,
            partner,
            1000.0,
            day(dated),
            due=day(due),
            company=company,
            currency=currency or self.eur,
        )
        if paid is not None:
            register_payment(self.env, invoice, day(paid))
        return invoice

    def _pay(self, invoice, paid):
        register_payment(self.env, invoice, day(paid))

    def _rule(self, kind, **values):
        return self.Rule.create({"name": kind, "kind": kind, **values})

    def _open_alerts(self, rule, company=None):
        return self.Alert.search(
            [
                ("rule_id", "=", rule.id),
                ("company_id", "=", (company or self.company).id),
                ("state", "=", "open"),
            ]
        )

    def _punctual_history(self, partner, company=None, currency=None):
        """Three invoices of 30 days, each paid two days before it fell due."""
        for start in (0, 30, 60):
            self._invoice(
                partner, start, start + 30, start + 28, company=company, currency=currency
            )

    # -- first late invoice of a punctual customer ----------------------------

    def test_first_late_fires_once_and_clears_when_paid(self):
        rule = self._rule("first_late", threshold=7, days=3)
        punctual, usual = self._customer("Punctual Ltd."), self._customer("Usual Ltd.")
        for partner in punctual | usual:
            self._punctual_history(partner)
        late = self._invoice(punctual, 90, 120)
        self._invoice(usual, 90, 120, 118)  # paid as usual

        self.assertFalse(rule._evaluate(self.company, day(125), None), "5 days: within grace")
        found = rule._evaluate(self.company, day(130), None)
        self.assertEqual(list(found), [punctual.id])
        self.assertEqual(found[punctual.id]["move_ids"], late.ids)
        self.assertEqual(found[punctual.id]["values"]["days_overdue"], 10)
        self.assertEqual(found[punctual.id]["values"]["settled_on_time"], 3)

        opened, closed = rule._run(self.company, day(130))
        self.assertEqual(opened.partner_id, punctual)
        self.assertFalse(closed)
        opened, closed = rule._run(self.company, day(131))
        self.assertFalse(opened | closed, "a re-run opens nothing twice")
        self.assertEqual(len(self._open_alerts(rule)), 1)

        alert = self._open_alerts(rule)
        self._pay(late, 135)
        # the payment clears the warning at once: the payment event re-evaluates the payer
        self.assertEqual(alert.state, "closed")
        self.assertEqual(alert.close_reason, "cleared")
        # as of day 131 the payment had not come: the replay still sees the late invoice
        self.assertEqual(list(rule._evaluate(self.company, day(131), None)), [punctual.id])
        opened, closed = rule._run(self.company, day(135))
        self.assertFalse(opened | closed, "the daily run finds it already closed")
        # it was the first: paid late now, the next late invoice is no longer a first
        self._invoice(punctual, 140, 170)
        self.assertFalse(rule._evaluate(self.company, day(185), None))

    def test_first_late_needs_a_punctual_history(self):
        rule = self._rule("first_late", threshold=7, days=3)
        habitual = self._customer("Always Late Ltd.")
        newcomer = self._customer("Newcomer Ltd.")
        self._invoice(habitual, 0, 30, 28)
        self._invoice(habitual, 30, 60, 80)  # paid 20 days late
        self._invoice(habitual, 60, 90, 88)
        self._invoice(habitual, 90, 120)
        self._invoice(newcomer, 60, 90, 88)  # one invoice settled only
        self._invoice(newcomer, 90, 120)
        self.assertFalse(rule._evaluate(self.company, day(140), None))

    def test_first_late_is_per_company(self):
        rule = self._rule("first_late", threshold=7, days=3)
        customer = self._customer("Both Companies Ltd.")
        other = self._customer("Shanghai Only Ltd.")
        # punctual in both companies; late only with the first (EUR invoices)
        self._punctual_history(customer)
        self._punctual_history(customer, company=self.company_2, currency=self.cny)
        self._invoice(customer, 90, 120)
        self._invoice(customer, 90, 120, 119, company=self.company_2, currency=self.cny)
        # another customer late only with the second company (its own currency, CNY)
        self._punctual_history(other, company=self.company_2, currency=self.cny)
        self._invoice(other, 90, 120, None, company=self.company_2, currency=self.cny)

        self.assertEqual(list(rule._evaluate(self.company, day(130), None)), [customer.id])
        self.assertEqual(list(rule._evaluate(self.company_2, day(130), None)), [other.id])
        opened, _closed = rule._run(self.company_2, day(130))
        self.assertRecordValues(opened, [{"partner_id": other.id, "company_id": self.company_2.id}])
        self.assertFalse(self._open_alerts(rule), "nothing opened in the first company")
        # evaluated for one customer (an event), the other is not touched
        self.assertFalse(rule._evaluate(self.company_2, day(130), customer))

    # -- paying later than its own predicted date ------------------------------

    def _thirty_day_payer(self, partner):
        """Five invoices, each paid exactly 30 days after its date."""
        for start in range(0, 150, 30):
            self._invoice(partner, start, start + 30, start + 30)

    def test_later_than_predicted_fires_once_and_clears(self):
        rule = self._rule("later_than_predicted", threshold=2)
        slow, usual = self._customer("Slower Ltd."), self._customer("As Usual Ltd.")
        self._thirty_day_payer(slow)
        self._thirty_day_payer(usual)
        late = self._invoice(slow, 150, 180)
        self._invoice(usual, 160, 190)  # 30 days old at day 190: its usual

        # predicted 30 days, spread at least 3 days: fires beyond 36 days
        self.assertFalse(rule._evaluate(self.company, day(184), None))
        found = rule._evaluate(self.company, day(190), None)
        self.assertEqual(list(found), [slow.id])
        self.assertEqual(found[slow.id]["move_ids"], late.ids)
        self.assertEqual(found[slow.id]["values"]["expected_date"], str(day(180)))

        opened, _closed = rule._run(self.company, day(190))
        self.assertEqual(opened.partner_id, slow)
        opened, closed = rule._run(self.company, day(191))
        self.assertFalse(opened | closed)
        alert = self._open_alerts(rule)
        self._pay(late, 195)
        self.assertEqual(alert.state, "closed", "cleared at once by the payment")
        opened, closed = rule._run(self.company, day(195))
        self.assertFalse(opened | closed)

    def test_later_than_predicted_needs_own_history(self):
        rule = self._rule("later_than_predicted", threshold=2)
        self._thirty_day_payer(self._customer("Known Ltd."))
        self._invoice(self._customer("Stranger Ltd."), 100, 130)
        self.assertFalse(rule._evaluate(self.company, day(190), None))

    # -- average days late rising ---------------------------------------------

    def _on_time_history(self, partner):
        for start in (60, 90, 120):
            self._invoice(partner, start, start + 30, start + 30)

    def test_days_late_rising_fires_once_and_clears(self):
        rule = self._rule("days_late_rising", threshold=15)
        worse, usual = self._customer("Worsening Ltd."), self._customer("Steady Ltd.")
        self._on_time_history(worse)
        self._on_time_history(usual)
        late = self._invoice(worse, 125, 155)
        self._invoice(usual, 125, 155, 155)
        self._invoice(usual, 160, 190, 188)

        # at day 200: 45 days overdue now, against 0, 0, 0 and 15 (overdue at day 170)
        found = rule._evaluate(self.company, day(200), None)
        self.assertEqual(list(found), [worse.id])
        self.assertEqual(found[worse.id]["values"]["recent_days_late"], 45.0)
        self.assertEqual(found[worse.id]["values"]["previous_days_late"], 3.8)
        self.assertEqual(found[worse.id]["move_ids"], late.ids)
        # a month earlier it was 15 days overdue against on-time payments: under 15 days
        self.assertFalse(rule._evaluate(self.company, day(170), None))

        opened, _closed = rule._run(self.company, day(200))
        self.assertEqual(opened.partner_id, worse)
        opened, closed = rule._run(self.company, day(201))
        self.assertFalse(opened | closed)

        # paid late at day 201, then on time again: the late payment is the past
        alert = self._open_alerts(rule)
        self._pay(late, 201)
        self.assertEqual(alert.state, "closed", "cleared at once by the payment")
        self._invoice(worse, 215, 245, 245)
        opened, closed = rule._run(self.company, day(250))
        self.assertFalse(opened | closed)
        self.assertFalse(self._open_alerts(rule))

    def test_days_late_rising_in_the_second_company(self):
        rule = self._rule("days_late_rising", threshold=15)
        customer = self._customer("Shanghai Worsening Ltd.")
        for start in (60, 90, 120):
            self._invoice(
                customer, start, start + 30, start + 30, company=self.company_2, currency=self.cny
            )
        self._invoice(customer, 125, 155, None, company=self.company_2, currency=self.cny)
        self.assertFalse(rule._evaluate(self.company, day(200), None))
        self.assertEqual(list(rule._evaluate(self.company_2, day(200), None)), [customer.id])

    # -- set-based ----------------------------------------------------------------

    def test_each_rule_reads_in_as_many_queries_whatever_the_customers(self):
        kinds = ("first_late", "later_than_predicted", "days_late_rising")
        rules = [self._rule(kind) for kind in kinds]

        def add_customers(count):
            for number in range(count):
                partner = self._customer(f"Customer {number} Ltd.")
                self._punctual_history(partner)
                self._invoice(partner, 90, 120)

        def queries():
            counts = []
            for rule in rules:
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                found = rule._evaluate(self.company, day(160), None)
                counts.append((self.env.cr.sql_log_count - before, bool(found)))
            return counts

        add_customers(1)
        queries()  # what the first read after posting costs, once
        few = queries()
        add_customers(4)
        queries()
        self.assertEqual(queries(), few)
        self.assertTrue(all(found for _count, found in few), "each rule found the late ones")

    # -- the default rules -------------------------------------------------------

    def test_default_rules_apply_to_every_company(self):
        kinds = ("first_late", "later_than_predicted", "days_late_rising")
        for company in self.companies:
            rules = self.Rule._get_rules(company, kinds)
            self.assertEqual(sorted(rules.mapped("kind")), sorted(kinds))
            self.assertFalse(rules.company_id)
