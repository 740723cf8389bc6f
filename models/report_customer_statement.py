from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# the options of a statement, as the wizard holds them and as report ``data`` carries them
STATEMENT_OPTIONS = (
    "statement_type",
    "date_from",
    "date_to",
    "company_id",
    "show_balance_confirmation",
    "show_overdue_notice",
    "overdue_notice",
)


class ReportCustomerStatement(models.AbstractModel):
    """Values of the statement template, from the options in the report's ``data``.

    The statement prints wherever it is asked for: from the wizard (which passes its
    options), from the customer's Print menu, from code or from the portal with no options
    at all (outstanding items as of today in the current company, each customer in its
    language). The numbers come from ``credit.statement.wizard._get_statements_data`` on an
    unsaved wizard holding the options, so every path prints the same statement.
    """

    _name = "report.credit_collection.report_customer_statement"
    _description = "Customer Statement Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        statement = self._get_statement(data or {})
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": statement._get_statements_data(partners),
        }

    @api.model
    def _get_statement(self, data):
        """An unsaved ``credit.statement.wizard`` with the options of ``data`` over the
        wizard's defaults, checked as the wizard checks them.

        The statement reads receivables with SQL, past record rules: only the roles that
        may use the statement wizard print it, and only for their own companies.
        """
        wizards = self.env["credit.statement.wizard"]
        wizards.check_access("create")
        options = wizards.default_get(list(STATEMENT_OPTIONS))
        options.update({name: data[name] for name in STATEMENT_OPTIONS if name in data})
        for name in ("date_from", "date_to"):
            options[name] = fields.Date.to_date(options[name]) if options[name] else False
        options["date_to"] = options["date_to"] or fields.Date.context_today(self)
        if options.get("statement_type") not in ("outstanding", "activity"):
            raise UserError(
                self.env._(
                    'A statement is of type "outstanding" or "activity", not %(type)r.',
                    type=str(options.get("statement_type"))[:40],
                )
            )
        company = self.env["res.company"].browse(options["company_id"]).exists()
        if not company or (not self.env.su and company not in self.env.user.company_ids):
            raise AccessError(
                self.env._("You can print statements only of the companies you work in.")
            )
        statement = wizards.new(options)
        statement._check_period()
        return statement
