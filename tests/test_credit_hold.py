from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestCreditHold(CreditCollectionCommon):
    def _hold(self, partner, reason="Cheque returned unpaid"):
        partner.with_user(self.credit_manager).write(
            {
                "credit_hold": True,
                "credit_hold_reason": reason,
            }
        )

    def test_hold_blocks_confirmation(self):
        order = self._order_for(self.customer)
        self._hold(self.customer)
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_confirm()
        message = str(error.exception)
        self.assertIn("Acme Trading Co.", message)
        self.assertIn("Cheque returned unpaid", message)
        self.assertIn(order.name, message)
        self.assertEqual(order.state, "draft")

    def test_hold_of_company_blocks_its_contacts(self):
        order = self._order_for(self.contact)
        self._hold(self.customer)
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).action_confirm()
        self.assertIn("Acme Trading Co.", str(error.exception))
        self.assertEqual(order.state, "draft")

    def test_one_held_customer_blocks_a_batch(self):
        other = self.env["res.partner"].create({"name": "Good Payer Ltd.", "is_company": True})
        orders = self._order_for(other) | self._order_for(self.contact)
        self._hold(self.customer)
        with self.assertRaises(UserError):
            orders.action_confirm()
        self.assertEqual(orders.mapped("state"), ["draft", "draft"])

    def test_release_lets_the_order_through(self):
        order = self._order_for(self.contact)
        self._hold(self.customer)
        self.customer.with_user(self.credit_manager).write({"credit_hold": False})
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_customer_without_hold_confirms(self):
        order = self._order_for(self.customer)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def _flush_tracking(self):
        """Tracking messages are written at commit time: run that step now."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def test_hold_changes_are_tracked_in_chatter(self):
        self._flush_tracking()  # the setup's records were created with tracking off
        # the common world switches tracking off for speed; this test needs it back
        self._hold(
            self.customer.with_context(tracking_disable=False, mail_notrack=False),
            reason="Bankruptcy filing",
        )
        self._flush_tracking()
        tracked = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name in ("credit_hold", "credit_hold_reason")
        )
        self.assertEqual(
            set(tracked.field_id.mapped("name")), {"credit_hold", "credit_hold_reason"}
        )
        self.assertIn("Bankruptcy filing", tracked.mapped("new_value_char"))
        self.assertEqual(self.customer.message_ids[0].author_id, self.credit_manager.partner_id)

    def test_salesman_cannot_set_or_lift_hold(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).write(
                {
                    "credit_hold": True,
                    "credit_hold_reason": "I do not like them",
                }
            )
        self._hold(self.customer)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman).write({"credit_hold": False})
        self.assertTrue(self.customer.credit_hold)

    def test_collector_cannot_set_hold(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.collector).write(
                {
                    "credit_hold": True,
                    "credit_hold_reason": "Late again",
                }
            )
        self.assertFalse(self.customer.credit_hold)

    def test_salesman_cannot_create_a_held_customer(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {
                    "name": "Sneaky Ltd.",
                    "credit_hold": True,
                    "credit_hold_reason": "x",
                }
            )

    def test_hold_needs_a_reason(self):
        with self.assertRaises(ValidationError) as error:
            self.customer.with_user(self.credit_manager).write({"credit_hold": True})
        self.assertIn("Acme Trading Co.", str(error.exception))

    def test_salesman_can_still_edit_other_fields(self):
        self._hold(self.customer)
        self.customer.with_user(self.salesman).write({"phone": "+86 21 5555 0000"})
        self.assertEqual(self.customer.phone, "+86 21 5555 0000")

    def test_error_message_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.salesman.lang = "zh_CN"
        order = self._order_for(self.customer)
        self._hold(self.customer, reason="支票退票")
        with self.assertRaises(UserError) as error:
            order.with_user(self.salesman).with_context(lang="zh_CN").action_confirm()
        message = str(error.exception)
        self.assertIn("信用冻结", message)
        self.assertIn("支票退票", message)
        self.assertIn("Acme Trading Co.", message)
