from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import CreditControlCommon


@tagged("post_install", "-at_install")
class TestCreditExposure(CreditControlCommon):
    def _exposure(self, partner=None, company=None, **kwargs):
        partner = partner or self.customer
        return partner._get_credit_exposure(company or self.company, **kwargs)[partner.id]

    def test_new_customer_has_no_exposure(self):
        self.assertEqual(
            self._exposure(),
            {
                "receivable": 0.0,
                "draft_invoices": 0.0,
                "sale_orders": 0.0,
                "guarantees": 0.0,
                "overdue": 0.0,
                "total": 0.0,
            },
        )

    def test_posted_invoice_and_payments(self):
        invoice = self._invoice(1000.0)
        self.assertEqual(self._exposure()["receivable"], 1000.0)
        self._pay(invoice, 300.0)
        self.assertEqual(self._exposure()["receivable"], 700.0)
        self._pay(invoice, 700.0)
        self.assertEqual(self._exposure()["total"], 0.0)

    def test_draft_invoices_and_credit_notes(self):
        self._invoice(500.0, post=False)
        self._invoice(200.0, post=False, move_type="out_refund")
        self.assertEqual(self._exposure()["draft_invoices"], 300.0)
        self.assertEqual(self._exposure()["total"], 300.0)

    def test_confirmed_order_until_invoiced(self):
        order = self._order(price=400.0)
        self.assertEqual(self._exposure()["total"], 0.0, "a quotation is no exposure")
        order.action_confirm()
        self.assertEqual(self._exposure()["sale_orders"], 400.0)
        invoice = order._create_invoices()
        exposure = self._exposure()
        self.assertEqual((exposure["sale_orders"], exposure["draft_invoices"]), (0.0, 400.0))
        invoice.action_post()
        exposure = self._exposure()
        self.assertEqual((exposure["draft_invoices"], exposure["receivable"]), (0.0, 400.0))
        self.assertEqual(exposure["total"], 400.0, "never counted twice")

    def test_order_taxes_are_included(self):
        tax = self.company_data["default_tax_sale"]
        order = self._order(price=100.0)
        order.order_line.tax_ids = [Command.set(tax.ids)]
        order.action_confirm()
        self.assertAlmostEqual(self._exposure()["sale_orders"], order.amount_total)
        self.assertGreater(order.amount_total, 100.0)

    def test_contacts_count_for_their_company(self):
        self._invoice(250.0, partner=self.contact)
        self._order(partner=self.contact, price=50.0).action_confirm()
        self.assertEqual(self._exposure()["total"], 300.0)
        by_contact = self.contact._get_credit_exposure(self.company)
        self.assertEqual(by_contact[self.customer.id]["total"], 300.0)

    def test_other_company_is_ignored(self):
        other = self.setup_other_company(name="Other Co")["company"]
        self.init_invoice(
            "out_invoice",
            partner=self.customer,
            invoice_date=fields.Date.today(),
            post=True,
            amounts=[900.0],
            taxes=[],
            company=other,
        )
        self._invoice(100.0)
        self.assertEqual(self._exposure()["total"], 100.0)
        self.assertEqual(self._exposure(company=other)["total"], 900.0)

    def _eur_pricelist(self):
        """A pricelist in EUR, two euros to the company currency's one."""
        foreign = self.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        return self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": foreign.id, "company_id": self.company.id}
        )

    def test_foreign_currency_order_in_company_currency(self):
        self._order(price=300.0, pricelist_id=self._eur_pricelist().id).action_confirm()
        self.assertAlmostEqual(self._exposure()["sale_orders"], 150.0)

    def test_partly_invoiced_order_counts_what_is_left(self):
        order = self._order(price=40.0, qty=10.0)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_line_ids.quantity = 4.0
        exposure = self._exposure()
        self.assertEqual((exposure["sale_orders"], exposure["draft_invoices"]), (240.0, 160.0))
        invoice.action_post()
        self._pay(invoice, 160.0)
        self.assertEqual(self._exposure()["total"], 240.0, "the rest is still to invoice")

    def _down_payment(self, order, percent):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": percent})
        )
        return wizard._create_invoices(order)

    def test_down_payment_counts_once(self):
        order = self._order(price=1000.0)
        order.action_confirm()
        down = self._down_payment(order, 30)
        exposure = self._exposure()
        self.assertEqual((exposure["sale_orders"], exposure["draft_invoices"]), (700.0, 300.0))
        down.action_post()
        exposure = self._exposure()
        self.assertEqual((exposure["sale_orders"], exposure["receivable"]), (700.0, 300.0))
        self._pay(down, 300.0)
        self.assertEqual(self._exposure()["total"], 700.0, "what the customer still owes")
        final = order._create_invoices(final=True)
        self.assertEqual(final.amount_total, 700.0, "the down payment is deducted")
        exposure = self._exposure()
        self.assertEqual((exposure["sale_orders"], exposure["draft_invoices"]), (0.0, 700.0))

    def test_cancelled_order_is_no_exposure(self):
        order = self._order(price=400.0)
        order.action_confirm()
        order._action_cancel()
        self.assertEqual(self._exposure()["total"], 0.0)

    def test_install_fill_matches_the_orm(self):
        """The SQL that fills the stored amounts on install gives what the ORM keeps."""
        pricelist = self._eur_pricelist()
        partly = self._order(price=33.33, qty=3.0)
        down = self._order(price=200.0)
        orders = (
            partly
            | down
            | self._order(price=300.0, pricelist_id=pricelist.id)
            | self._order(price=10.0)
            | self._order(price=70.0)
        )
        orders[:4].action_confirm()
        invoice = partly._create_invoices()
        invoice.invoice_line_ids.quantity = 1.0
        self._down_payment(down, 25).action_post()
        self.env.flush_all()
        kept = orders.mapped("credit_amount_to_invoice")
        self.assertEqual(kept, [66.66, 150.0, 150.0, 10.0, 0.0])
        self.env.cr.execute("UPDATE sale_order SET credit_amount_to_invoice = NULL")
        self.env.cr.execute(self.env["sale.order"]._credit_amount_to_invoice_sql())
        orders.invalidate_recordset(["credit_amount_to_invoice"])
        self.assertEqual(orders.mapped("credit_amount_to_invoice"), kept)

    def test_overdue_older_than_tolerance(self):
        today = fields.Date.today()
        self._invoice(100.0, invoice_date=today - timedelta(days=31))
        self._invoice(40.0, invoice_date=today - timedelta(days=30))
        exposure = self._exposure(overdue_days={self.customer.id: 30})
        self.assertEqual(exposure["overdue"], 100.0, "due exactly 30 days ago is tolerated")
        self.assertEqual(exposure["receivable"], 140.0)
        self.assertEqual(self._exposure()["overdue"], 0.0, "no overdue check asked")

    def _guarantee(self, amount, date_end=None):
        guarantee = self.env["credit.guarantee"].create(
            {
                "name": "Bank guarantee",
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "amount": amount,
                "date_start": fields.Date.today() - timedelta(days=30),
                "date_end": date_end,
            }
        )
        guarantee.action_validate()
        return guarantee

    def test_valid_guarantees_are_deducted_when_the_company_says_so(self):
        self._invoice(1000.0)
        self._guarantee(300.0, date_end=fields.Date.today())
        self._guarantee(500.0, date_end=fields.Date.today() - timedelta(days=1))
        self.assertEqual(self._exposure()["total"], 1000.0, "setting off: nothing deducted")
        self.company.credit_deduct_guarantees = True
        exposure = self._exposure()
        self.assertEqual(exposure["guarantees"], 300.0, "the expired guarantee does not count")
        self.assertEqual(exposure["total"], 700.0)

    def test_many_customers_at_once(self):
        other = self.env["res.partner"].create({"name": "Beta Ltd", "is_company": True})
        self._invoice(10.0)
        self._invoice(20.0, partner=other)
        result = (self.customer | other)._get_credit_exposure(self.company)
        self.assertEqual(
            (result[self.customer.id]["total"], result[other.id]["total"]), (10.0, 20.0)
        )

    def test_shown_on_customer_and_order(self):
        self._set_limit(self.customer, 1000.0)
        self._invoice(300.0)
        customer = self.customer.with_company(self.company)
        self.assertRecordValues(
            customer,
            [
                {
                    "credit_exposure": 300.0,
                    "credit_limit_effective": 1000.0,
                    "credit_available": 700.0,
                }
            ],
        )
        order = self._order(partner=self.contact, price=800.0)
        self.assertRecordValues(
            order,
            [
                {
                    "credit_exposure": 300.0,
                    "credit_limit_effective": 1000.0,
                    "credit_available": 700.0,
                    "credit_exceeded": True,
                }
            ],
        )
