from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """What the company lets its customers see and do on the portal."""

    _inherit = "res.company"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    portal_show_credit_info = fields.Boolean(
        string="Credit Information on the Portal",
        help="Show each customer its credit limit, available credit and overdue amount on "
        "its portal home page.",
    )
    portal_promise_min_percent = fields.Float(
        string="Minimum Promise (% of the overdue)",
        default=0.0,
        help="A promise to pay made on the portal covers at least this share of what is "
        "overdue on the invoice; 0 accepts any amount.",
    )
    portal_submissions_per_hour = fields.Integer(
        string="Portal Requests per Hour",
        default=10,
        help="How many promises and disputes one portal user may send per hour.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("portal_promise_min_percent", "portal_submissions_per_hour")
    def _check_portal_rules(self):
        for company in self:
            if not 0.0 <= company.portal_promise_min_percent <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The minimum promise of %(company)s is a share between 0 and 100%%.",
                        company=company.name,
                    )
                )
            if company.portal_submissions_per_hour < 1:
                raise ValidationError(
                    self.env._(
                        "%(company)s accepts at least one portal request per hour.",
                        company=company.name,
                    )
                )
