from datetime import timedelta

from odoo import fields, models
from odoo.tools.translate import LazyTranslate

from .credit_alert_rule import summary_in

_lt = LazyTranslate(__name__)


class CreditAlertRule(models.Model):
    """The evaluators of the warnings about the credit file: grade, exposure against the
    limit, disputes, what expires. Each answers for one company as of ``today`` (the daily
    run's date, or a past date when the warnings are replayed), in a few set-based reads."""

    _inherit = "credit.alert.rule"

    # ------------------------------------------------------------
    # EVALUATORS
    # ------------------------------------------------------------

    def _evaluate_grade_downgrade(self, company, today, partners):
        """Customers whose latest approved credit review, dated within the last ``days``
        days (30 when not set), lowered their grade in ``company``."""
        since = today - timedelta(days=self.days or 30)
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "approved"),
            ("date", ">=", since),
            ("date", "<=", today),
        ]
        if partners is not None:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        # a later approved review (up to today) is in the window too: the first one read per
        # customer is its latest, the one that decides its grade on ``today``
        reviews = self.env["credit.review"].sudo().search(domain, order="date desc, id desc")
        latest = {}
        for review in reviews:
            latest.setdefault(review.partner_id.id, review)
        return {
            partner_id: self._grade_downgrade_evidence(review)
            for partner_id, review in latest.items()
            if review.is_downgrade
        }

    def _grade_downgrade_evidence(self, review):
        return {
            "summary": _lt(
                "Credit grade lowered from %(previous)s to %(grade)s by the review of %(date)s "
                "(score %(score)s).",
                previous=review.previous_grade_id.name,
                grade=review.grade_id.name,
                date=review.date,
                score=round(review.score, 1),
            ),
            "values": {
                "previous_grade": review.previous_grade_id.name,
                "grade": review.grade_id.name,
                "score": review.score,
                "previous_score": review.previous_score,
                "review_date": str(review.date),
            },
            "move_ids": [],
        }

    def _evaluate_exposure(self, company, today, partners):
        """Customers with a credit limit in ``company`` whose exposure reached ``threshold``
        percent of it (100 when not set). A customer without a limit is not watched.

        The exposure is the one the sale check reads (``res.partner._get_credit_exposure``);
        replayed at a past date, its receivable part is the open amount at that date and
        its guarantees those valid then (orders and drafts are today's: they have no past)."""
        customers = self._exposure_candidates(company, today, partners)
        policy = customers._get_credit_policy(company)
        limited = customers.browse(pid for pid, vals in policy.items() if vals["effective_limit"])
        if not limited:
            return {}
        exposure = limited._get_credit_exposure(company)
        if today < fields.Date.context_today(self):
            self._exposure_as_of(company, today, limited, exposure)
        share = self.threshold or 100.0
        currency = company.currency_id
        over = {
            pid: values
            for pid, values in exposure.items()
            if currency.compare_amounts(
                values["total"], policy[pid]["effective_limit"] * share / 100.0
            )
            >= 0
        }
        invoices = self._open_invoice_ids(company, today, over)
        return {
            pid: self._exposure_evidence(
                company, values, policy[pid]["effective_limit"], invoices.get(pid, [])
            )
            for pid, values in over.items()
        }

    def _exposure_candidates(self, company, today, partners):
        """The customers whose exposure may be above zero: owing, or with orders or draft
        invoices still to count (three grouped reads)."""
        if partners is not None:
            return partners.commercial_partner_id.sudo()
        query = self.env["credit.receivable.query"]
        ids = set(query._get_customers_owing(company.id))
        if today < fields.Date.context_today(self):
            ids.update(query._get_customer_open_balances(company.id, today))
        reads = (
            ("sale.order", [("credit_amount_to_invoice", "!=", 0)]),
            (
                "account.move",
                [("state", "=", "draft"), ("move_type", "in", ("out_invoice", "out_refund"))],
            ),
        )
        for model, domain in reads:
            groups = (
                self.env[model]
                .sudo()
                ._read_group([("company_id", "=", company.id), *domain], ["partner_id"])
            )
            ids.update(partner.commercial_partner_id.id for (partner,) in groups)
        return self.env["res.partner"].sudo().browse(ids)

    def _exposure_as_of(self, company, today, customers, exposure):
        """Replace, in ``exposure``, the receivable and the guarantees by their figures on
        ``today`` (a past date)."""
        balances = self.env["credit.receivable.query"]._get_customer_open_balances(
            company.id, today, customers.ids
        )
        guarantees = (
            self.env["credit.guarantee"].sudo()._get_valid_amounts(customers, company, today)
            if company.credit_deduct_guarantees
            else {}
        )
        for pid, values in exposure.items():
            values["receivable"] = company.currency_id.round(balances.get(pid, 0.0))
            values["guarantees"] = guarantees.get(pid, 0.0)
            values["total"] = (
                values["receivable"]
                + values["draft_invoices"]
                + values["sale_orders"]
                - values["guarantees"]
            )

    def _open_invoice_ids(self, company, today, partner_ids):
        """``{customer id: its open invoices}``, most overdue first (one query)."""
        if not partner_ids:
            return {}
        sql = self.env["credit.receivable.query"]._open_invoices_sql(
            company.id, today, list(partner_ids)
        )
        invoices = {}
        for move_id, partner_id, _residual, _days in sorted(
            self.env.execute_query(sql), key=lambda row: -(row[3] or 0)
        ):
            invoices.setdefault(partner_id, []).append(move_id)
        return invoices

    def _exposure_evidence(self, company, values, limit, move_ids):
        currency = company.currency_id
        return {
            "summary": _lt(
                "Exposure %(exposure)s is %(share)s%% of the credit limit %(limit)s "
                "(open invoices %(receivable)s, orders to invoice %(orders)s).",
                exposure=currency.format(values["total"]),
                share=round(values["total"] / limit * 100.0),
                limit=currency.format(limit),
                receivable=currency.format(values["receivable"]),
                orders=currency.format(values["sale_orders"] + values["draft_invoices"]),
            ),
            "values": {
                "exposure": values["total"],
                "limit": limit,
                "share": round(values["total"] / limit * 100.0, 1),
                "receivable": values["receivable"],
                "sale_orders": values["sale_orders"],
                "draft_invoices": values["draft_invoices"],
                "guarantees": values["guarantees"],
            },
            "move_ids": move_ids,
        }

    def _evaluate_dispute(self, company, today, partners):
        """Customers with a dispute opened in the last ``days`` days (7 when not set), still
        open on ``today``, of more than ``threshold`` in company currency."""
        since = today - timedelta(days=self.days or 7)
        end = fields.Datetime.to_datetime(today + timedelta(days=1))
        domain = [
            ("company_id", "=", company.id),
            ("create_date", ">=", fields.Datetime.to_datetime(since)),
            ("create_date", "<", end),
        ]
        if today < fields.Date.context_today(self):
            # replayed: still open then if it is open now or was closed after that day
            domain += ["|", ("state", "=", "open"), ("write_date", ">=", end)]
        else:
            domain.append(("state", "=", "open"))
        if partners is not None:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        currency = company.currency_id
        found = {}
        for dispute in self.env["collection.dispute"].sudo().search(domain, order="id"):
            amount = dispute.currency_id._convert(
                dispute.amount, currency, company, dispute.create_date.date()
            )
            if currency.compare_amounts(amount, self.threshold) <= 0:
                continue
            pid = dispute.partner_id.commercial_partner_id.id
            evidence = found.setdefault(
                pid, {"values": {"amount": 0.0, "count": 0}, "move_ids": []}
            )
            evidence["values"]["amount"] += amount
            evidence["values"]["count"] += 1
            evidence["move_ids"].append(dispute.move_id.id)
        for evidence in found.values():
            evidence["summary"] = _lt(
                "%(count)s dispute(s) above %(threshold)s opened since %(date)s, %(amount)s in "
                "all.",
                count=evidence["values"]["count"],
                threshold=currency.format(self.threshold),
                date=since,
                amount=currency.format(evidence["values"]["amount"]),
            )
        return found

    def _evaluate_expiry(self, company, today, partners):
        """Customers of ``company`` with a temporary limit increase, a validated guarantee
        or credit insurance ending, or their next credit review due, within the next
        ``days`` days (30 when not set)."""
        end = today + timedelta(days=self.days or 30)
        ids = partners.commercial_partner_id.ids if partners is not None else None
        found = {}
        for partner_id, label, date in self._expiring_items(company, today, end, ids):
            evidence = found.setdefault(partner_id, {"items": [], "values": {}, "move_ids": []})
            evidence["items"].append(_lt("%(what)s on %(date)s", what=label, date=date))
            soonest = evidence["values"].get("first_date")
            if not soonest or str(date) < soonest:
                evidence["values"]["first_date"] = str(date)
        for evidence in found.values():
            items = evidence.pop("items")
            evidence["values"]["items"] = [
                summary_in(item, self.env.lang or "en_US") for item in items
            ]
            evidence["summary"] = _lt("Ending soon: %(items)s.", items=items)
        return found

    def _expiring_items(self, company, today, end, partner_ids):
        """``(customer id, what ends, date)`` of what ends between ``today`` and ``end``."""
        scope = [("partner_id", "in", partner_ids)] if partner_ids is not None else []
        yield from self._ending_increases(company, today, end, scope)
        yield from self._ending_guarantees(company, today, end, scope)
        yield from self._due_reviews(company, today, end, partner_ids)

    def _ending_increases(self, company, today, end, scope):
        increases = (
            self.env["credit.limit.increase"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("date_end", ">=", today),
                    ("date_end", "<=", end),
                    # granted by then (the warnings are also replayed at past dates)
                    ("create_date", "<", fields.Datetime.to_datetime(today + timedelta(days=1))),
                    *scope,
                ]
            )
        )
        for increase in increases:
            yield (
                increase.partner_id.id,
                _lt(
                    "temporary limit increase of %(amount)s ends",
                    amount=increase.currency_id.format(increase.amount),
                ),
                increase.date_end,
            )

    def _ending_guarantees(self, company, today, end, scope):
        guarantees = (
            self.env["credit.guarantee"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "validated"),
                    ("date_start", "<=", today),
                    ("date_end", ">=", today),
                    ("date_end", "<=", end),
                    *scope,
                ]
            )
        )
        types = dict(guarantees._fields["guarantee_type"]._description_selection(self.env))
        for guarantee in guarantees:
            yield (
                guarantee.partner_id.id,
                _lt(
                    "%(type)s %(name)s of %(amount)s ends",
                    type=types[guarantee.guarantee_type],
                    name=guarantee.name,
                    amount=guarantee.currency_id.format(guarantee.amount),
                ),
                guarantee.date_end,
            )

    def _due_reviews(self, company, today, end, partner_ids):
        review_scope = [("id", "in", partner_ids)] if partner_ids is not None else []
        reviewed = (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .search(
                [
                    ("credit_next_review_date", ">=", today),
                    ("credit_next_review_date", "<=", end),
                    *review_scope,
                ]
            )
        )
        for partner in reviewed:
            yield (
                partner.commercial_partner_id.id,
                _lt("next credit review due"),
                partner.credit_next_review_date,
            )
