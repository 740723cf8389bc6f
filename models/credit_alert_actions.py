from odoo import Command, fields, models
from odoo.tools import plaintext2html


class CreditAlert(models.Model):
    """What an alert does when it opens, as its rule says: a to-do for its owner, an email
    to the credit managers, a credit review requested, the customer put on hold. Run once,
    in the transaction that opens the alert: a re-run finds the alert open and opens
    nothing, so nothing is done twice."""

    _inherit = "credit.alert"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _run_open_actions(self):
        """The actions of each new alert's rule, each for all the alerts that ask it."""
        alerts = self.sudo()
        alerts.filtered("rule_id.action_activity")._schedule_owner_activities()
        alerts.filtered("rule_id.action_email_manager")._email_credit_managers()
        alerts.filtered("rule_id.action_review")._request_reviews()
        alerts.filtered("rule_id.action_hold")._hold_customers()

    def _get_activity_users(self):
        """``{alert: users}`` who get its to-do: the customer's collector in the company
        (else the company's), else the company's credit managers; nobody when none is set."""
        result = {}
        for company, alerts in self.grouped("company_id").items():
            collectors = alerts.partner_id._get_collection_user(company)
            managers = company._get_credit_managers()
            for alert in alerts:
                collector = self.env["res.users"].browse(collectors.get(alert.partner_id.id))
                result[alert] = collector or managers
        return result

    def _schedule_owner_activities(self):
        for alert, users in self._get_activity_users().items():
            for user in users:
                env = alert.with_context(lang=user.lang).env
                alert.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=env._("Early warning: %(customer)s", customer=alert.partner_id.name),
                    note=plaintext2html(alert.with_env(env).summary or ""),
                )

    def _email_credit_managers(self):
        """The alert's email to the credit managers of its company, each in their language
        (one email per language). Nobody to write to: nothing is sent."""
        template = self.env.ref("credit_collection.mail_template_credit_alert")
        for company, alerts in self.grouped("company_id").items():
            managers = company._get_credit_managers().filtered("email")
            for lang, users in managers.grouped("lang").items():
                for alert in alerts:
                    template.with_context(lang=lang).send_mail(
                        alert.id,
                        email_values={"recipient_ids": [Command.set(users.partner_id.ids)]},
                    )
            if managers:
                for alert in alerts:
                    alert.message_post(
                        body=self.env._(
                            "Emailed to the credit managers: %(names)s.",
                            names=", ".join(managers.mapped("name")),
                        )
                    )

    def _request_reviews(self):
        """A credit review of each alert's customer, built the way the daily re-evaluation
        builds one and submitted to the credit managers; a review already under way is
        linked instead of opening a second one."""
        Review = self.env["credit.review"].sudo()
        today = fields.Date.context_today(self)
        for company, alerts in self.grouped("company_id").items():
            partners = alerts.partner_id.with_company(company)
            scorecard = self.env["credit.scorecard"].sudo()._default_for(company)
            under_way = Review._partners_with_open_review(company, partners)
            last = Review._last_approved_reviews(company, partners - under_way)
            new = partners - under_way if scorecard else partners.browse()
            reviews = (
                Review.with_company(company)
                .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
                .create(
                    [
                        {
                            **Review._carried_inputs(last.get(partner.id)),
                            "partner_id": partner.id,
                            "company_id": company.id,
                            "date": today,
                            "scorecard_id": scorecard.id,
                        }
                        for partner in new
                    ]
                )
            )
            reviews.with_context(mail_activity_quick_update=True).action_submit()
            existing = Review.search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partners.ids),
                    ("state", "in", ("draft", "to_approve")),
                ],
                order="id desc",
            )
            for alert in alerts:
                review = existing.filtered(lambda r, a=alert: r.partner_id == a.partner_id)[:1]
                alert._link_review(review)

    def _link_review(self, review):
        self.ensure_one()
        if not review:
            self.message_post(
                body=self.env._(
                    "No credit review could be requested: the company has no scorecard."
                )
            )
            return
        self._write_decision({"review_id": review.id})
        self.message_post(
            body=self.env._("Credit review requested: %(review)s.", review=review.display_name)
        )

    def _hold_customers(self, origin="alert"):
        """Put the customers on credit hold in the alerts' companies (those already held
        keep their hold and reason), and tell their salesperson and collector. ``origin``:
        the rule's action (``alert``) or a credit manager's button (``manual``)."""
        for alert in self:
            partner = alert.partner_id.with_company(alert.company_id)
            if partner.credit_hold:
                continue
            reason = self.env._(
                "Early warning %(rule)s: %(summary)s",
                rule=alert.rule_id.name,
                summary=alert.summary or "",
            )
            partner._put_on_alert_hold(reason, origin)
            collector = partner._get_collection_user(alert.company_id).get(partner.id)
            recipients = partner.user_id.partner_id | alert.user_id.partner_id
            recipients |= self.env["res.users"].browse(collector).partner_id
            partner.sudo().message_post(
                body=self.env._(
                    "Put on credit hold in %(company)s by an early warning: %(reason)s",
                    company=alert.company_id.name,
                    reason=reason,
                ),
                partner_ids=recipients.ids,
                subtype_xmlid="mail.mt_comment",
            )
            alert.message_post(body=self.env._("The customer is put on credit hold."))
