from odoo.tests import HttpCase, tagged

from .aging_common import AgingWorldCommon


@tagged("post_install", "-at_install")
class TestCustomerStatementTour(AgingWorldCommon, HttpCase):
    def test_accountant_sends_a_statement_by_email(self):
        """In the browser: menu, wizard, customer chosen, sent; the customer's chatter holds
        the email with its statement attached."""
        accountant = self._new_accountant("statement_accountant")
        self.partner_a.email = "ap@partner-a.example.com"
        self.start_tour("/odoo", "credit_collection_send_statement", login=accountant.login)
        message = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.partner_a.id)],
            order="id desc",
            limit=1,
        )
        self.assertEqual(message.author_id, accountant.partner_id)
        self.assertIn(self.partner_a, message.partner_ids)
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertTrue(message.attachment_ids.name.startswith("Statement partner_a"))
