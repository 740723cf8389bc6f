from odoo import api, fields, models


class CollectionNotice(models.Model):
    """One invoice reaching one dunning level: the ledger of what was (or will be) sent.

    A row exists at most once per (invoice, level), enforced by the database, so that a
    second run the same day, a run after a crash or two runs at once never notify the same
    invoice twice for the same level. Rows are recorded ``queued`` and turn ``sent`` in the
    same transaction as the email or activity they produce: a crash leaves them queued and
    the next run picks them up.
    """

    _name = "collection.notice"
    _inherit = ["credit.decision.mixin"]
    _description = "Dunning Notice"
    _decision_fields = ("state", "letter_batch_id")
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    case_id = fields.Many2one("collection.case", index="btree_not_null", ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one("collection.policy.level", required=True, ondelete="restrict")
    channel = fields.Selection(related="level_id.channel")
    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade")
    amount_residual = fields.Monetary(string="Amount Due", currency_field="currency_id")
    days_overdue = fields.Integer()
    date = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent")], required=True, default="queued", index=True
    )
    letter_batch_id = fields.Many2one(
        "collection.letter.batch",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The batch whose PDF holds the letter of this notice (letter levels only).",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("move_id", "level_id")
    def _compute_display_name(self):
        for notice in self:
            notice.display_name = self.env._(
                "%(level)s: %(invoice)s",
                level=notice.level_id.name or "",
                invoice=notice.move_id.sudo().name or "",
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    _move_level_uniq = models.Constraint(
        "UNIQUE(move_id, level_id)",
        "An invoice is notified only once per dunning level.",
    )
    _queued_idx = models.Index("(company_id, partner_id) WHERE state = 'queued'")
