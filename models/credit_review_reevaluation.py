from odoo import api, fields, models

from .credit_review import EXTERNAL_FIELDS, STATEMENT_FIELDS

# customers a batch of the re-evaluation scores (one behaviour query, one commit each)
REEVALUATION_BATCH_SIZE = 500


class CreditReview(models.Model):
    """The daily re-evaluation: which customers to review again, scored in batches."""

    _inherit = "credit.review"

    # ------------------------------------------------------------
    # RE-EVALUATION
    # ------------------------------------------------------------

    @api.model
    def _cron_reevaluate(self, commit=True, today=None):
        """Daily: review the customers whose review is due or whose behaviour moved.

        A planner: per company, the customers to watch are recorded in batches of
        ``REEVALUATION_BATCH_SIZE`` (``credit.cron.batch``) that the batch workers score
        side by side, one commit per batch. ``commit=False`` (tests) scores them here."""
        self.env["credit.cron.batch"]._plan("reevaluate", today, commit)

    @api.model
    def _plan_cron_batches(self, company, today):
        """The day's batches of ``company``: its customers to watch, in id order."""
        ids = sorted(self._customers_to_watch(company).ids)
        return [
            {"partner_ids": ids[start : start + REEVALUATION_BATCH_SIZE]}
            for start in range(0, len(ids), REEVALUATION_BATCH_SIZE)
        ]

    @api.model
    def _run_cron_batch(self, batch):
        """Score a batch's customers again (their behaviour read in one query): a customer
        merged or deleted since the planning is skipped."""
        partners = self.env["res.partner"].browse(batch.partner_ids or []).exists()
        self._reevaluate_customers(batch.company_id, partners)

    @api.model
    def _customers_to_watch(self, company):
        """Customers with a history in ``company`` (receivable lines) or a review there: a
        customer of another company only is none of this company's business."""
        lines = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    *self.env["credit.receivable.query"]._receivable_domain(),
                    ("company_id", "=", company.id),
                    ("partner_id", "!=", False),
                ],
                ["partner_id"],
            )
        )
        reviewed = self._read_group([("company_id", "=", company.id)], ["partner_id"])
        known = {partner.commercial_partner_id.id for (partner,) in lines + reviewed}
        return self.env["res.partner"].search(
            [
                ("id", "in", list(known)),
                ("parent_id", "=", False),
                ("company_id", "in", [False, company.id]),
            ]
        )

    @api.model
    def _reevaluate_customers(self, company, partners, behaviour=None):
        """Score ``partners`` again from their ledger and open the reviews that are needed.

        A handful of queries whatever the number of customers: the payment behaviour of all
        of them comes from one query (or is given: ``_get_payment_behaviour()`` of a larger
        set), their last approved reviews from one search, and the reviews are created in
        one batch. Reviews that keep or raise the grade (or lower it,
        depending on the company's settings) are approved at once; the others wait for a
        credit manager, with an activity.
        """
        today = fields.Date.context_today(self)
        # grade, score and review dates are the company's own (company-dependent)
        partners = partners.with_company(company)
        partners -= self._partners_with_open_review(company, partners)
        scorecard = self.env["credit.scorecard"]._default_for(company)
        if not partners or not scorecard:
            return self.browse()
        if behaviour is None:
            behaviour = partners._get_payment_behaviour(company, today)
        last_reviews = self._last_approved_reviews(company, partners)
        grades = self.env["credit.grade"].search(
            ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        )
        threshold = company.sudo().credit_behaviour_threshold
        factor_table = scorecard._factor_table()
        vals_list = []
        for partner in partners:
            inputs = {
                **self._carried_inputs(last_reviews.get(partner.id)),
                **self._history_vals(behaviour.get(partner.id)),
            }
            scored = self._score_customer(partner, inputs, scorecard, grades, factor_table)
            due = not partner.credit_last_review_date or (
                partner.credit_next_review_date and partner.credit_next_review_date <= today
            )
            moved = abs(scored["score"] - partner.credit_score) >= threshold
            if due or moved:
                vals_list.append(
                    {
                        **inputs,
                        **scored,
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "date": today,
                        "scorecard_id": scorecard.id,
                        "previous_grade_id": partner.credit_grade_id.id,
                        "previous_score": partner.credit_score,
                        **self._current_terms(partner, company),
                    }
                )
        # OdooBot following every review it opens would only slow the run down; the scores
        # and grades are the scoring's (decision fields): created as superuser
        reviews = (
            self.sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
            .with_env(self.env)
        )
        reviews._decide_automatically(company, set(last_reviews))
        return reviews

    @api.model
    def _score_customer(self, partner, inputs, scorecard, grades, factor_table):
        """``_prepare_scoring_vals`` of ``partner`` (in its company): the payment terms of
        its customer type (客户类型), when the type has some, are proposed before the
        grade's."""
        company = partner.env.company
        scored = self._prepare_scoring_vals(inputs, scorecard, grades, company, factor_table)
        if partner.customer_segment_id.payment_term_id:
            scored["proposed_payment_term_id"] = partner.customer_segment_id.payment_term_id.id
        return scored

    @api.model
    def _current_terms(self, partner, company):
        """The customer's own limit and terms in ``company`` (read as superuser: the limit
        is an accountant's field), kept on the review beside the proposal."""
        partner = partner.sudo().with_company(company)
        return {
            "current_limit": partner.credit_limit,
            "current_payment_term_id": partner.property_payment_term_id.id,
        }

    def _decide_automatically(self, company, reviewed_before):
        """Approve what the company's settings allow, submit the rest to a credit manager.

        The first evaluation of a customer in the company always waits for a credit manager:
        the customer's file (limit, terms) was entered by people before any evaluation. An
        automatic approval writes grade, score and dates, and replaces the limit and terms
        only if the company says so (``credit_auto_apply_proposals``).
        """
        settings = company.sudo()
        auto = self.filtered(
            lambda r: (
                r.partner_id.id in reviewed_before
                and (
                    settings.credit_auto_approve_downgrades
                    if r.is_downgrade
                    else settings.credit_auto_approve_upgrades
                )
            )
        )
        auto.sudo()._approve(apply_proposals=settings.credit_auto_apply_proposals)
        (self - auto).with_context(mail_activity_quick_update=True).action_submit()

    @api.model
    def _partners_with_open_review(self, company, partners):
        groups = self._read_group(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partners.ids),
                ("state", "in", ("draft", "to_approve")),
            ],
            ["partner_id"],
        )
        return self.env["res.partner"].union(*(partner for (partner,) in groups))

    @api.model
    def _last_approved_reviews(self, company, partners):
        """{partner_id: its latest approved review}, in one search."""
        reviews = self.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partners.ids),
                ("state", "=", "approved"),
            ],
            order="date desc, id desc",
        )
        latest = {}
        for review in reviews:
            latest.setdefault(review.partner_id.id, review)
        return latest

    @api.model
    def _carried_inputs(self, review):
        """What a re-evaluation keeps from the last approved review: statements, bureau, 5C."""
        if not review:
            return {}
        return {
            f: review._fields[f].convert_to_write(review[f], review)
            for f in (
                *STATEMENT_FIELDS,
                *EXTERNAL_FIELDS,
            )
        }
