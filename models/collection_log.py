from odoo import api, fields, models

CHANNELS = [
    ("phone", "Phone Call"),
    ("visit", "Visit"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("other", "Other"),
]
RESULTS = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("promise", "Promise to Pay"),
    ("dispute", "Dispute"),
    ("refused", "Refused"),
    ("paid", "Paid"),
]


class CollectionLog(models.Model):
    """The collection ledger: every contact with a customer about its overdue money."""

    _name = "collection.log"
    _inherit = ["collection.case.mixin"]
    _description = "Collection Log"
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="Collector", default=lambda self: self.env.user)
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    contact_name = fields.Char(string="Person Reached")
    result = fields.Selection(RESULTS, required=True, default="reached")
    customer_words = fields.Text(help="What the customer said, in their own words.")
    next_action_date = fields.Date()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        logs = super().create(vals_list)
        for log in logs.filtered("next_action_date"):
            log.case_id.next_action_date = log.next_action_date
        logs.case_id.filtered(lambda c: c.state == "open").state = "in_progress"
        return logs
