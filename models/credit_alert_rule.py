from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyGettext, LazyTranslate, get_translation

_lt = LazyTranslate(__name__)

# What each kind of rule watches. The threshold and the number of days mean what the help
# of the rule's form says for its kind; each kind has one ``_evaluate_<kind>`` method.
ALERT_KINDS = [
    ("grade_downgrade", "Grade downgraded"),
    ("exposure", "Exposure above a share of the limit"),
    ("first_late", "First late invoice of a punctual customer"),
    ("later_than_predicted", "Paying later than predicted"),
    ("days_late_rising", "Average days late rising"),
    ("broken_promise", "Broken promise to pay"),
    ("dispute", "New dispute above an amount"),
    ("expiry", "Limit, guarantee or review expiring"),
]
SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class CreditAlertRule(models.Model):
    """An early warning (风险预警) a credit manager configures: what to watch, from what
    threshold, how serious it is and what to do when it fires.

    A rule is evaluated set-based for a whole company (the daily run) or for a few
    customers (at once, on the event that may raise it: a payment matched, a dispute, a
    broken promise). Its evaluator answers which customers meet the condition *now*, with
    the evidence; ``credit.alert._sync_rule`` turns that answer into alerts: one open alert
    per customer and rule, closed when the customer no longer appears.
    """

    _name = "credit.alert.rule"
    _description = "Early Warning Rule"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(ALERT_KINDS, required=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty for a rule every company applies."
    )
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    threshold = fields.Float(
        help="Exposure: share of the limit in percent; dispute: the smallest disputed "
        "amount in company currency; later than predicted: how many usual spreads late; "
        "average days late rising: by how many days over three months."
    )
    days = fields.Integer(
        help="Expiring: how many days ahead; grade downgraded: how many days back."
    )
    action_activity = fields.Boolean(
        string="Activity to the Owner",
        default=True,
        help="Schedule a to-do for the customer's collector (the company's default "
        "collector, or the credit managers when none is set).",
    )
    action_email_manager = fields.Boolean(string="Email the Credit Manager")
    action_review = fields.Boolean(string="Request a Credit Review")
    action_hold = fields.Boolean(
        string="Put on Hold",
        help="Put the customer on credit hold and tell its salesperson and collector.",
    )
    alert_ids = fields.One2many("credit.alert", "rule_id", string="Alerts")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_rules(self, company, kinds=None):
        """The active rules ``company`` applies, of ``kinds`` when given."""
        domain = [("company_id", "in", (False, company.id))]
        if kinds:
            domain.append(("kind", "in", list(kinds)))
        return self.sudo().search(domain)

    def _evaluate(self, company, today, partners=None):
        """``{commercial partner id: evidence}`` of the customers of ``company`` (among
        ``partners`` when given) that meet this rule's condition on ``today``.

        Evidence is a dict: ``summary`` (one translated sentence with the figures),
        ``values`` (the figures, JSON-serialisable) and ``move_ids`` (the invoices that
        show it). Each kind's evaluator reads in one or a few set-based queries."""
        self.ensure_one()
        return getattr(self, f"_evaluate_{self.kind}")(company, today, partners)

    @api.model
    def _get_event_kinds(self, event):
        """The kinds of rules an event may raise or clear, re-evaluated at once for the
        customers it touches: ``payment`` (journal items matched), ``dispute`` (a dispute
        opened), ``promise`` (a promise broken). Other features add theirs with super()."""
        return {
            "payment": ["exposure"],
            "dispute": ["dispute"],
            "promise": ["broken_promise"],
        }.get(event, [])

    @api.model
    def _evaluate_event(self, event, company, partners, today=None):
        """Re-evaluate, for ``partners`` only, the rules of ``company`` that ``event`` may
        raise or clear, and act on the alerts it opens."""
        partners = partners.commercial_partner_id
        rules = self._get_rules(company, self._get_event_kinds(event))
        if not partners or not rules:
            return self.env["credit.alert"]
        today = today or fields.Date.context_today(self)
        opened, _closed = rules._run(company, today, partners)
        opened._run_open_actions()
        return opened

    @api.model
    def _cron_evaluate_alerts(self, commit=True, today=None):
        """Daily: evaluate every rule of every company for all its customers, set-based,
        one rule of one company at a time, committed after each. Re-running is harmless:
        an open alert stays open (and its actions ran when it opened)."""
        today = today or fields.Date.context_today(self)
        cron = self.env["ir.cron"]
        work = [
            (company, rule)
            for company in self.env["res.company"].sudo().search([])
            for rule in self._get_rules(company)
        ]
        if commit:
            cron._commit_progress(remaining=len(work))
        for company, rule in work:
            opened, _closed = rule.with_company(company)._run(company, today)
            opened._run_open_actions()
            if commit and not cron._commit_progress(1):
                return  # out of time: the next run evaluates again what was left

    def _lock_for_opening(self):
        """Two transactions opening alerts of this rule at once (the daily run and a dispute,
        two payments) would both pass the "no open alert yet" search and one would then hit
        the unique index. A no-op write on the rule's row makes the second one wait and fail
        with a serialization error instead, which Odoo retries: the retry sees the alert."""
        self.env.execute_query(
            SQL("UPDATE credit_alert_rule SET write_date = write_date WHERE id = ANY(%s)", self.ids)
        )

    def _run(self, company, today, partners=None):
        """Evaluate these rules for ``company`` and bring its alerts up to date: the
        alerts opened (for their actions to run) and closed."""
        alerts = self.env["credit.alert"]
        opened, closed = alerts.browse(), alerts.browse()
        for rule in self:
            new, cleared = alerts._sync_rule(
                rule, company, today, rule._evaluate(company, today, partners), partners
            )
            opened |= new
            closed |= cleared
        return opened, closed

    # ------------------------------------------------------------
    # EVALUATORS
    # ------------------------------------------------------------

    def _evaluate_broken_promise(self, company, today, partners):
        """Customers with a promise to pay broken in the last ``days`` days (30 when not
        set) and no open promise made since."""
        since = fields.Date.subtract(today, days=self.days or 30)
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "broken"),
            ("date_promised", ">=", since),
            ("date_promised", "<=", today),
        ]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        found = {}
        promises = self.env["collection.promise"].sudo().search(domain, order="date_promised")
        for promise in promises:
            found[promise.partner_id.id] = {
                "summary": _lt(
                    "Promised %(amount)s by %(date)s and paid %(paid)s.",
                    amount=promise.currency_id.format(promise.amount),
                    date=promise.date_promised,
                    paid=promise.currency_id.format(promise.amount_paid),
                ),
                "values": {
                    "amount": promise.amount,
                    "amount_paid": promise.amount_paid,
                    "date_promised": str(promise.date_promised),
                },
                "move_ids": promise.move_ids.ids,
            }
        return found


def summary_in(value, lang):
    """``value`` in ``lang``: a lazy translation (``_lt``) whose arguments may themselves be
    lazy translations or lists of them (joined with "; "), or plain text."""
    if isinstance(value, (list, tuple)):
        return "; ".join(summary_in(item, lang) for item in value)
    if not isinstance(value, LazyGettext):
        return value
    # the lazy translation's own parts: Odoo formats nested lazy arguments in the target
    # language, but not those inside lists
    args = value._args
    if isinstance(args, dict):
        args = {key: summary_in(arg, lang) for key, arg in args.items()}
    else:
        args = tuple(summary_in(arg, lang) for arg in args)
    return get_translation(value._module, lang, value._source, args)
