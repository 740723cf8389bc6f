"""Reports and dashboards on the replica (issue 19).

Odoo serves a call on a read-only cursor, the database replica when one is configured,
when its route is read-only or the method it calls is ``api.readonly``; a write there fails
and Odoo retries the call on the primary. Here every read of the aging analysis, the
statements, the KPIs, the cash-in forecast and the dashboard's drill-downs runs inside a
read-only transaction (what the replica is) and gives the figures of the primary; the
methods that write are not flagged, so Odoo never sends them there.
"""

from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..models.credit_aging_line import ANALYSIS_CONTEXT, CreditAgingLine
from ..models.credit_kpi_line import CreditKpiLine
from .aging_common import AgingWorldCommon
from .common import new_role_user

# what the web client calls and Odoo may serve on the replica: each is read below inside a
# read-only transaction
READ_ONLY_CALLS = {
    ("credit.aging.line", "action_open_journal_item"),
    ("credit.kpi.line", "action_open_customer"),
    ("credit.kpi.line", "action_open_items"),
    ("res.company", "get_receivables_dashboard"),
    ("res.company", "action_open_receivables_dashboard_items"),
    ("res.company", "action_open_receivables_dashboard_invoices"),
    ("res.company", "action_open_receivables_dashboard_customer"),
    ("res.company", "action_open_receivables_dashboard_cash_in"),
    ("res.company", "action_open_receivables_dashboard_alerts"),
}
# what writes (a wizard saved, rows or an attachment created, mail queued) or reads a wizard
# the client has just saved: served on the primary
WRITING_CALLS = {
    ("credit.aging.wizard", "web_save"),
    ("credit.aging.wizard", "action_open_analysis"),
    ("credit.aging.wizard", "action_print_pdf"),
    ("credit.aging.wizard", "action_export_xlsx"),
    ("credit.kpi.wizard", "action_open_analysis"),
    ("credit.kpi.wizard", "action_export_xlsx"),
    ("credit.kpi.wizard", "action_send_email"),
    ("credit.kpi.line", "action_export_xlsx"),
    ("credit.statement.wizard", "action_print_pdf"),
    ("credit.statement.wizard", "action_export_xlsx"),
    ("credit.statement.wizard", "action_send_email"),
    ("credit.statement.wizard", "action_request_balance_confirmation"),
    ("credit.cashin.export.wizard", "action_export_xlsx"),
}


def routed_to_replica(env, model, method):
    """Whether the web client's call of ``model.method`` gets a read-only cursor: what
    ``web.controllers.dataset.DataSet._call_kw_readonly`` decides for call_kw and
    call_button (the first definition flagged either way along the class hierarchy)."""
    for cls in type(env[model]).mro():
        function = getattr(cls, method, None)
        if function is not None and hasattr(function, "_readonly"):
            return function._readonly
    return False


class ReplicaWorldCommon(AgingWorldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_role_user(cls.env, "accountant", "replica_accountant", cls.company)

    def _read_only(self):
        """From here on the test's transaction is what a replica is: any write fails."""
        self.env.cr.flush()  # the ORM's pending writes and the bus notifications queued
        self.env.cr.execute("SET TRANSACTION READ ONLY")

    def _user_wizard(self, user, **values):
        """An aging wizard saved by ``user`` (a wizard is its creator's only)."""
        return (
            self.env["credit.aging.wizard"]
            .with_user(user)
            .create(
                {
                    "as_of_date": self.AS_OF,
                    "company_ids": [fields.Command.set(self.company.ids)],
                    "company_id": self.company.id,
                    "partner_ids": [fields.Command.set((self.partner_a + self.partner_b).ids)],
                    **values,
                }
            )
        )

    def _lines(self, wizard):
        action = wizard.action_open_analysis()
        return wizard.env["credit.aging.line"].with_context(**action["context"])


@tagged("post_install", "-at_install")
class TestReadsOnTheReplica(ReplicaWorldCommon):
    # ------------------------------------------------------------
    # aging analysis
    # ------------------------------------------------------------

    def test_the_aging_pivot_is_read_on_a_read_only_transaction(self):
        lines = self._lines(self._user_wizard(self.accountant))

        def pivot():
            return lines.formatted_read_grouping_sets(
                [], [[], ["bucket_id"]], ["amount_residual:sum"]
            )

        on_primary = pivot()
        self._read_only()
        on_replica = pivot()
        self.assertEqual(on_replica, on_primary)
        [(total,), by_bucket] = on_replica
        self.assertAlmostEqual(total["amount_residual:sum"], 2200.0)
        self.assertEqual(
            [(group["bucket_id"][1], group["amount_residual:sum"]) for group in by_bucket],
            [(label, amount) for label, amount in self.EXPECTED.items() if amount],
        )

    def test_the_detailed_list_and_the_drill_down_are_read_only(self):
        lines = self._lines(self._user_wizard(self.accountant, report_detail="detailed"))
        spec = {"move_id": {}, "amount_residual": {}, "bucket_id": {"fields": {}}}
        on_primary = lines.web_search_read([], spec)
        summary = self._lines(self._user_wizard(self.accountant))
        self._read_only()
        on_replica = lines.web_search_read([], spec)
        self.assertEqual(on_replica, on_primary)
        self.assertAlmostEqual(sum(row["amount_residual"] for row in on_replica["records"]), 2200.0)
        [row] = summary.search([("partner_id", "=", self.partner_a.id), ("bucket", "=", "3")])
        self.assertEqual(row.display_name, f"{self.partner_a.display_name} – 61-90")
        drill = row.action_open_journal_item()
        receivable = self.env["credit.receivable.query"]._filter_receivable(self.inv_a1.line_ids)
        self.assertEqual(drill["domain"], [("id", "in", receivable.ids)])
        [item] = lines.search([("move_id", "=", self.inv_a1.id)])
        self.assertEqual(item.action_open_journal_item()["res_id"], receivable.id)

    def test_buckets_are_labelled_with_the_analysis_limits_without_records(self):
        lines = self._lines(self._user_wizard(self.accountant, bucket_limits="15, 45"))
        self._read_only()
        groups = lines.formatted_read_group([], ["bucket_id"], ["amount_residual:sum"])
        # A2 (30 days), B2 (31) and the payment of 16 days in 16-45; nothing in 1-15
        self.assertEqual(
            [(group["bucket_id"][1], group["amount_residual:sum"]) for group in groups],
            [("Not due", 800.0), ("16-45", 500.0), ("Over 45", 900.0)],
        )
        buckets = lines.env["credit.aging.bucket"].search([])
        self.assertEqual(buckets.mapped("name"), ["Not due", "1-15", "16-45", "Over 45"])

    def test_the_analysis_rows_cannot_be_written(self):
        """Computed rows: a JSON-RPC create, write or unlink of them is refused to every
        role that reads them."""
        lines = self._lines(self._user_wizard(self.accountant))
        [row] = lines.search([("partner_id", "=", self.partner_a.id), ("bucket", "=", "3")])
        with self.assertRaises(AccessError):
            row.write({"amount_residual": 0.0})
        with self.assertRaises(AccessError):
            row.unlink()
        for model in ("credit.aging.line", "credit.aging.bucket", "credit.kpi.line"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.accountant).create({"company_id": self.company.id})

    def test_the_lines_outside_an_analysis_are_empty(self):
        self._read_only()
        self.assertFalse(self.env["credit.aging.line"].with_user(self.accountant).search([]))

    def test_forged_analysis_parameters_are_refused(self):
        """The parameters come from the browser: bad values are refused with a message,
        never put into SQL."""
        action = self._user_wizard(self.accountant).action_open_analysis()
        good = action["context"][ANALYSIS_CONTEXT]
        forged = [
            ("as_of", "2024-13-45"),
            ("as_of", "2024-03-31'; DROP TABLE account_move_line; --"),
            ("as_of", None),
            ("basis", "due OR 1=1"),
            ("limits", [90, 30]),
            ("limits", [0, 30, "60"]),
            ("limits", [0, True]),
            ("limits", [0, 10**9]),
            ("limits", "0, 30"),
            ("company_ids", []),
            ("company_ids", ["1) OR (1=1"]),
            ("partner_ids", [-1]),
            ("partner_ids", "1,2"),
            ("layout", "everything"),
        ]
        self._read_only()
        Lines = self.env["credit.aging.line"].with_user(self.accountant)
        for key, value in forged:
            context = {ANALYSIS_CONTEXT: dict(good, **{key: value})}
            with self.subTest(key=key, value=value), self.assertRaises(UserError) as caught:
                Lines.with_context(**context).search([])
            self.assertIn("Aging Report", str(caught.exception))
            self.assertLess(len(str(caught.exception)), 300)
        with self.assertRaises(UserError):
            Lines.with_context(**{ANALYSIS_CONTEXT: "as_of=2024-03-31"}).search([])

    # ------------------------------------------------------------
    # statements, KPIs, forecast, dashboard
    # ------------------------------------------------------------

    def test_statements_are_read_on_a_read_only_transaction(self):
        Report = self.env["report.credit_collection.report_customer_statement"]
        data = {"statement_type": "outstanding", "date_to": "2024-03-31"}
        partners = (self.partner_a + self.partner_b).ids

        def figures():
            statements = Report._get_report_values(partners, data)["statements"]
            return [
                (each["total_due"], each["aging"], [line["amount"] for line in each["lines"]])
                for _partner, each in sorted(statements.items())
            ]

        on_primary = figures()
        self._read_only()
        self.assertEqual(figures(), on_primary)
        self.assertEqual(on_primary[0][1], [800.0, 250.0, 0.0, 700.0, 0.0, 0.0])

    def test_kpis_are_read_on_a_read_only_transaction(self):
        manager = new_role_user(self.env, "manager", "replica_manager", self.company)
        wizard = (
            self.env["credit.kpi.wizard"]
            .with_user(manager)
            .create(
                {
                    "period": "custom",
                    "date_from": "2024-03-01",
                    "date_to": "2024-03-31",
                    "company_ids": [fields.Command.set(self.company.ids)],
                }
            )
        )
        company = self.company.with_user(manager)
        march = (fields.Date.to_date("2024-03-01"), self.AS_OF)
        action = wizard.action_open_analysis()
        rows = self.env["credit.kpi.line"].with_user(manager).with_context(**action["context"])
        spec = {"name": {}, "is_total": {}, "dso": {}, "ar_end": {}, "overdue_ar_end": {}}
        on_screen = rows.web_search_read([], spec)
        on_primary = wizard._get_report_data()
        kpis = company._get_receivable_kpis(*march)
        self._read_only()
        self.assertEqual(rows.web_search_read([], spec), on_screen)
        self.assertEqual(wizard._get_report_data(), on_primary)
        self.assertEqual(company._get_receivable_kpis(*march), kpis)
        [total] = [row for row in on_screen["records"] if row["is_total"]]
        self.assertAlmostEqual(total["ar_end"], kpis["ar_end"])
        self.assertAlmostEqual(kpis["ar_end"], self._ledger_receivable_balance(self.AS_OF))

    def test_the_cash_in_forecast_and_the_dashboard_drill_downs_are_read_only(self):
        manager = new_role_user(self.env, "manager", "replica_dash", self.company)
        Company = self.env["res.company"].with_user(manager)
        Report = self.env["credit.cashin.report"].with_user(manager)
        forecast = Report.formatted_read_group([], ["date:month"], ["expected:sum"])
        self._read_only()
        self.assertEqual(
            Report.formatted_read_group([], ["date:month"], ["expected:sum"]), forecast
        )
        items = Company.action_open_receivables_dashboard_items("2024-03-31", bucket=3)
        lines = self.env["account.move.line"].search(items["domain"])
        self.assertEqual(lines.move_id, self.inv_a1)
        invoices = Company.action_open_receivables_dashboard_invoices("2024-03-01", "2024-03-31")
        self.assertIn(self.inv_a3, self.env["account.move"].search(invoices["domain"]))
        customer = Company.action_open_receivables_dashboard_customer(self.partner_a.id)
        self.assertEqual(customer["res_id"], self.partner_a.id)
        self.assertEqual(
            Company.action_open_receivables_dashboard_cash_in()["res_model"],
            "credit.cashin.report",
        )
        self.assertEqual(
            Company.action_open_receivables_dashboard_alerts()["res_model"], "credit.alert"
        )
        self.assertIn("buckets", Company.get_receivables_dashboard())

    # ------------------------------------------------------------
    # routing
    # ------------------------------------------------------------

    def test_what_the_web_client_reads_goes_to_the_replica(self):
        models = (
            "credit.aging.line",
            "credit.aging.bucket",
            "credit.kpi.line",
            "credit.cashin.report",
        )
        for model in models:
            for method in ("web_read_group", "formatted_read_grouping_sets", "web_search_read"):
                with self.subTest(model=model, method=method):
                    self.assertTrue(routed_to_replica(self.env, model, method))
        for model, method in READ_ONLY_CALLS:
            with self.subTest(model=model, method=method):
                self.assertTrue(routed_to_replica(self.env, model, method))

    def test_what_writes_is_never_sent_to_the_replica(self):
        for model, method in WRITING_CALLS:
            with self.subTest(model=model, method=method):
                self.assertTrue(hasattr(self.env[model], method))
                self.assertFalse(routed_to_replica(self.env, model, method))

    def test_every_read_only_method_of_the_addon_is_vetted(self):
        """A method flagged ``api.readonly`` in the addon is one read above inside a
        read-only transaction: flagging one that writes makes Odoo retry it on the
        primary after a failed attempt, each time."""
        flagged = {
            (name, attribute)
            for name, model in self.env.registry.items()
            for cls in type(self.env[name]).mro()
            if cls.__module__.startswith("odoo.addons.credit_collection.")
            for attribute, value in vars(cls).items()
            if getattr(value, "_readonly", False)
        }
        self.assertEqual(flagged, READ_ONLY_CALLS)

    # ------------------------------------------------------------
    # companies
    # ------------------------------------------------------------

    def test_companies_the_user_does_not_work_in_are_refused(self):
        other = self.env["res.company"].create({"name": "Shanghai Branch"})
        wizard = self._user_wizard(self.accountant)
        context = wizard.action_open_analysis()["context"]
        forged = dict(context[ANALYSIS_CONTEXT], company_ids=[self.company.id, other.id])
        Lines = self.env["credit.aging.line"].with_user(self.accountant)
        with self.assertRaisesRegex(AccessError, "do not work for"):
            Lines.with_context(**{ANALYSIS_CONTEXT: forged}).search([])
        # the wizard saved over JSON-RPC with the other company: read from the database,
        # the user's wizard holds their own company only (Odoo filters the many2many by the
        # companies' rule), so its analysis, PDF and Excel file read nothing else
        wizard.sudo().company_ids = [fields.Command.link(other.id)]
        self.env.flush_all()
        wizard.invalidate_recordset()
        self.assertEqual(wizard._query_args()["company_ids"], self.company.ids)
        context = wizard.action_open_analysis()["context"]
        self.assertEqual(context[ANALYSIS_CONTEXT]["company_ids"], self.company.ids)
        self.assertEqual(
            [section["company"] for section in wizard._get_report_data()["companies"]],
            [self.company],
        )


@tagged("post_install", "-at_install")
class TestAgingAnalysisOverHttp(ReplicaWorldCommon, HttpCase):
    def _call(self, model, method, args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def test_the_web_client_reads_the_aging_analysis_on_a_read_only_cursor(self):
        """As the web client does: save the wizard, Analyse, then the pivot's and the
        grouped list's reads. Each read of the rows runs on a read-only cursor (a test
        cursor in read-only mode stands for the replica) without being retried."""
        self.authenticate(self.accountant.login, self.accountant.login)
        context = {"lang": "en_US", "allowed_company_ids": self.company.ids}
        partners = (self.partner_a + self.partner_b).ids
        saved = self._call(
            "credit.aging.wizard",
            "web_save",
            [[], {"as_of_date": "2024-03-31", "partner_ids": [[6, 0, partners]]}],
            specification={},
            context=context,
        )
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button/credit.aging.wizard/action_open_analysis",
            {
                "model": "credit.aging.wizard",
                "method": "action_open_analysis",
                "args": [[saved[0]["id"]]],
                "kwargs": {"context": context},
            },
        )
        context |= action["context"]
        cursors = []
        original = CreditAgingLine._get_analysis_params

        def spy(lines):
            cursors.append(lines.env.cr.readonly)
            return original(lines)

        with (
            patch.object(CreditAgingLine, "_get_analysis_params", spy),
            self.assertNoLogs("odoo.http", "WARNING"),
        ):
            pivot = self._call(
                "credit.aging.line",
                "formatted_read_grouping_sets",
                [[], [[], ["bucket_id"]], ["amount_residual:sum"]],
                context=context,
            )
            grouped = self._call(
                "credit.aging.line",
                "web_read_group",
                [[], ["bucket_id"], ["amount_residual:sum"]],
                context=context,
            )
        self.assertTrue(cursors)
        self.assertTrue(all(cursors), "every read of the rows ran on a read-only cursor")
        self.assertAlmostEqual(pivot[0][0]["amount_residual:sum"], 2200.0)
        self.assertEqual(
            {group["bucket_id"][1]: group["amount_residual:sum"] for group in grouped["groups"]},
            {label: amount for label, amount in self.EXPECTED.items() if amount},
        )

    def test_the_web_client_reads_the_kpi_analysis_on_a_read_only_cursor(self):
        """The KPI list's first page and its count: on a read-only cursor, the engine runs
        once for the request."""
        manager = new_role_user(self.env, "manager", "replica_kpi_http", self.company)
        self.authenticate(manager.login, manager.login)
        context = {"lang": "en_US", "allowed_company_ids": self.company.ids}
        values = {"period": "custom", "date_from": "2024-03-01", "date_to": "2024-03-31"}
        saved = self._call(
            "credit.kpi.wizard", "web_save", [[], values], specification={}, context=context
        )
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button/credit.kpi.wizard/action_open_analysis",
            {
                "model": "credit.kpi.wizard",
                "method": "action_open_analysis",
                "args": [[saved[0]["id"]]],
                "kwargs": {"context": context},
            },
        )
        context |= action["context"]
        cursors = []
        original = CreditKpiLine._compute_analysis_rows

        def spy(lines, params):
            cursors.append(lines.env.cr.readonly)
            return original(lines, params)

        with (
            patch.object(CreditKpiLine, "_compute_analysis_rows", spy),
            self.assertNoLogs("odoo.http", "WARNING"),
        ):
            page = self._call(
                "credit.kpi.line",
                "web_search_read",
                [[], {"name": {}, "ar_end": {}, "is_total": {}}],
                limit=1,
                context=context,
            )
        self.assertEqual(cursors, [True], "computed once, on a read-only cursor")
        self.assertEqual(page["length"], 3)  # partner A, partner B, the company's total
        self.assertEqual(len(page["records"]), 1)
