"""The benchmark generator writes invoices and payments in SQL: prove Odoo cannot tell them
from documents posted through the ORM."""

import importlib.util
import json
from pathlib import Path

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import tagged

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"

# stored fields that name or identify a document rather than describe it
IDENTITY_FIELDS = {
    "id",
    "create_date",
    "write_date",
    "create_uid",
    "write_uid",
    "display_name",
    "sequence_number",
    "access_token",
    "move_id",
    "origin_payment_id",
    "payment_id",
    "reversed_entry_id",
    "full_reconcile_id",
    "matching_number",
    "invoice_ids",
    "matched_payment_ids",
    "tax_ids",
    "tax_tag_ids",
    "message_main_attachment_id",
}
# fields holding a document name ("INV/2026/00012", "Manual Payment: INV/2026/00012")
NAME_FIELDS = {"name", "ref", "payment_reference", "memo", "move_name", "invoice_origin"}


def load_tool(name):
    """scripts/ is no package (the addon must never import it): load a module by path."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestReceivablesGenerator(AccountTestInvoicingCommon):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gen = load_tool("receivables_generator")
        cls.checks = load_tool("receivables_checks")
        stats = cls.gen.generate(
            cls.env, "tiny", customers=6, invoices=300, seed=3, log=lambda _m: None
        )
        cls.env.invalidate_all()
        cls.generated = cls.env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("partner_id.ref", "like", "GEN%"),
                ("invoice_origin", "=", False),  # not invoiced from a sale order
                ("id", "not in", stats["reference_move_ids"]),  # not posted by the ORM
            ]
        )

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _payments_of(self, invoice):
        return invoice.matched_payment_ids.sorted(lambda p: (p.date, p.id))

    def _post_like(self, invoice):
        """Post through the ORM the same invoice, credit note and payments."""
        product = invoice.invoice_line_ids.product_id
        partner, currency = invoice.partner_id, invoice.currency_id
        twin = self.gen._orm_invoice(
            partner,
            currency,
            invoice.invoice_date,
            invoice.amount_untaxed,
            product=product,
            due=invoice.invoice_date_due,
        )
        refund = invoice.reversal_move_ids
        if refund:
            twin_refund = self.gen._orm_invoice(
                partner,
                currency,
                refund.invoice_date,
                refund.amount_untaxed,
                product=product,
                reversed_entry=twin,
                due=refund.invoice_date_due,
            )
            self.gen._receivable(twin | twin_refund).reconcile()
        for payment in self._payments_of(invoice):
            self.gen._orm_register_payment(twin, payment.date, payment.amount)
        self.env.invalidate_all()
        return twin

    def _values(self, records, names):
        """Stored values of ``records`` in the order given, document names masked."""
        stored = [
            f
            for f in records._fields.values()
            if f.store and f.name not in IDENTITY_FIELDS and f.type not in ("one2many", "binary")
        ]
        rows = []
        for record in records:
            row = {}
            for fdef in stored:
                value = record[fdef.name]
                if fdef.type in ("many2one", "many2many"):
                    value = tuple(value.ids)
                elif fdef.name in NAME_FIELDS and isinstance(value, str):
                    for name, mask in names.items():
                        value = value.replace(name, mask)
                row[fdef.name] = value
            rows.append(row)
        return rows

    def _document_names(self, invoice):
        moves = invoice | invoice.reversal_move_ids | self._payments_of(invoice).move_id
        return {m.name: f"<{i}>" for i, m in enumerate(moves.sorted(lambda m: m.id))}

    def _lines(self, moves):
        return moves.line_ids.sorted(
            lambda line: (line.move_id.id, line.display_type, line.balance)
        )

    def _reconciliation(self, invoice):
        lines = self.gen._receivable(invoice)
        partials = (lines.matched_credit_ids | lines.matched_debit_ids).sorted("id")
        return {
            "partials": partials.mapped(
                lambda p: (p.amount, p.debit_amount_currency, p.credit_amount_currency, p.max_date)
            ),
            "full": bool(lines.full_reconcile_id),
            "matching": lines.matching_number and lines.matching_number[0] == "P",
            "reconciled_lines": len(lines.full_reconcile_id.reconciled_line_ids),
        }

    def assertSameAsOrm(self, invoice):
        twin = self._post_like(invoice)
        pairs = [
            (invoice, twin),
            (invoice.reversal_move_ids, twin.reversal_move_ids),
            (self._payments_of(invoice), self._payments_of(twin)),
            (self._payments_of(invoice).move_id, self._payments_of(twin).move_id),
        ]
        pairs.append((self._lines(pairs[0][0] | pairs[1][0]), self._lines(twin | pairs[1][1])))
        pairs.append((self._lines(pairs[3][0]), self._lines(pairs[3][1])))
        for generated, orm in pairs:
            self.assertEqual(len(generated), len(orm), generated._name)
            self.assertEqual(
                self._values(generated, self._document_names(invoice)),
                self._values(orm, self._document_names(twin)),
                f"{generated._name} of {invoice.name} differs from the ORM's",
            )
        self.assertEqual(self._reconciliation(invoice), self._reconciliation(twin))
        self.assertEqual(invoice.invoice_line_ids.tax_ids, twin.invoice_line_ids.tax_ids)

    def _pick(self, description, condition):
        found = self.generated.filtered(condition)
        self.assertTrue(found, f"the tiny world has no {description} invoice")
        return found[0]

    # ------------------------------------------------------------
    # tests
    # ------------------------------------------------------------

    def test_the_truth_is_kept(self):
        """Each generated customer's habit and default date, for the warnings' backtest."""
        truth = json.loads(self.env["ir.config_parameter"].sudo().get_param(self.gen.TRUTH_PARAM))
        customers = self.env["res.partner"].search(
            [("ref", "like", "GEN%"), ("is_company", "=", True)]
        )
        self.assertEqual(sorted(int(pid) for pid in truth["customers"]), sorted(customers.ids))
        for kept in truth["customers"].values():
            self.assertIn(kept["habit"], self.gen.HABITS)
            self.assertEqual(kept["habit"] == "defaulter", bool(kept["default_date"]))
            if kept["default_date"]:
                self.assertLess(kept["default_date"], truth["today"])

    def test_self_test_passes(self):
        self.assertEqual(set(self.checks.self_test(self.env).values()), {0})

    def test_paid_invoice_is_what_the_orm_posts(self):
        company_currency = self.env.company.currency_id
        invoice = self._pick(
            "paid in one payment",
            lambda m: (
                m.payment_state == "paid"
                and m.currency_id == company_currency
                and len(m.matched_payment_ids) == 1
                and not m.reversal_move_ids
            ),
        )
        self.assertSameAsOrm(invoice)

    def test_foreign_currency_invoice_is_what_the_orm_posts(self):
        company_currency = self.env.company.currency_id
        invoice = self._pick(
            "paid foreign currency",
            lambda m: m.currency_id != company_currency and m.payment_state == "paid",
        )
        self.assertSameAsOrm(invoice)

    def test_open_and_split_payment_invoices_are_what_the_orm_posts(self):
        self.assertSameAsOrm(self._pick("open", lambda m: m.payment_state == "not_paid"))
        self.assertSameAsOrm(self._pick("twice paid", lambda m: len(m.matched_payment_ids) == 2))

    def test_credit_note_is_what_the_orm_posts(self):
        self.assertSameAsOrm(self._pick("credited", lambda m: m.reversal_move_ids))

    def test_unreconciled_payment_is_what_the_orm_posts(self):
        advance = self.env["account.payment"].search(
            [("is_reconciled", "=", False), ("memo", "=", "Advance payment")],
            order="id desc",
            limit=1,
        )
        twin = self.env["account.payment"].create(
            {
                "partner_id": advance.partner_id.id,
                "partner_type": "customer",
                "payment_type": "inbound",
                "amount": advance.amount,
                "currency_id": advance.currency_id.id,
                "date": advance.date,
                "memo": advance.memo,
            }
        )
        twin.action_post()
        self.env.invalidate_all()
        for generated, orm in ((advance, twin), (advance.move_id, twin.move_id)):
            names = {generated.name: "<0>", orm.name: "<0>"}
            self.assertEqual(self._values(generated, names), self._values(orm, names))
        self.assertEqual(
            self._values(self._lines(advance.move_id), {advance.name: "<0>"}),
            self._values(self._lines(twin.move_id), {twin.name: "<0>"}),
        )

    def test_orm_recomputation_keeps_the_stored_values(self):
        """Recomputing residuals, totals and states from the partials gives what SQL wrote."""
        moves = self.env["account.move"].search([("partner_id.ref", "like", "GEN%")])
        lines, payments = moves.line_ids, moves.origin_payment_id
        snapshot = (
            self._values(lines, {}),
            self._values(moves, {}),
            self._values(payments, {}),
        )
        recompute = {
            lines: ("amount_residual", "amount_residual_currency", "reconciled"),
            moves: ("amount_total", "amount_residual", "amount_residual_signed", "payment_state"),
            payments: ("state", "is_reconciled", "is_matched"),
        }
        for records, fnames in recompute.items():
            for fname in fnames:
                self.env.add_to_compute(records._fields[fname], records)
        self.env.flush_all()  # recomputes, and writes whatever changed
        self.env.invalidate_all()
        self.assertEqual(
            snapshot,
            (self._values(lines, {}), self._values(moves, {}), self._values(payments, {})),
        )
