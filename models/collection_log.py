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
        logs.case_id._mark_in_progress()
        for log in logs:
            # a plain str: message_post escapes it, the customer's words stay text
            log.case_id.message_post(body=log._get_chatter_text())
        return logs

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("channel", "partner_id", "date")
    def _compute_display_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for log in self:
            log.display_name = self.env._(
                "%(channel)s with %(customer)s on %(date)s",
                channel=channels.get(log.channel, ""),
                customer=log.partner_id.name or "",
                date=log.date.date() if log.date else "",
            )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_chatter_text(self):
        self.ensure_one()
        results = dict(self._fields["result"]._description_selection(self.env))
        text = self.env._(
            "%(contact)s: %(result)s", contact=self.display_name, result=results[self.result]
        )
        lines = [text]
        if self.contact_name:
            lines.append(self.env._("Person reached: %(name)s", name=self.contact_name))
        if self.customer_words:
            lines.append(self.customer_words)
        return "\n".join(lines)
