from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount, formatLang

from ..models.credit_kpi_line import GROUP_FIELDS
from ..tools import xlsx_formats

# how each KPI is shown: days (one decimal), percent (CEI, already x 100), rate (a
# fraction shown as a percentage) or money (company currency)
KPI_KINDS = {
    "dso": "days",
    "countback_dso": "days",
    "best_possible_dso": "days",
    "add": "days",
    "cei": "percent",
    "overdue_rate": "rate",
    "collection_rate": "rate",
    "avg_payment_days": "days",
    "credit_sales": "money",
    "ar_start": "money",
    "ar_end": "money",
    "current_ar_end": "money",
}
TOP_CUSTOMERS = 10


class CreditKpiWizard(models.TransientModel):
    """Receivables KPIs of a period for a finance manager: on screen per group, in Excel
    (a sheet per grouping and the definitions), as a monthly PDF report to send.

    Every figure comes from ``res.company._get_receivable_kpis(_grouped)``, one grouped call
    per company and grouping, so the outputs agree with each other and with the engine.
    """

    _name = "credit.kpi.wizard"
    _description = "Receivables KPI Analysis"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    period = fields.Selection(
        [
            ("last_month", "Last month"),
            ("this_quarter", "This quarter"),
            ("last_12_months", "Last 12 months"),
            ("custom", "Custom"),
        ],
        required=True,
        default="last_month",
    )
    date_from = fields.Date(
        string="From", compute="_compute_dates", store=True, readonly=False, required=True
    )
    date_to = fields.Date(
        string="To", compute="_compute_dates", store=True, readonly=False, required=True
    )
    group_by = fields.Selection(
        [
            ("company_id", "Company"),
            ("partner_id", "Customer"),
            ("user_id", "Salesperson"),
            ("collector_id", "Collector"),
            ("grade_id", "Credit Grade"),
            ("currency_id", "Currency"),
        ],
        required=True,
        default="partner_id",
    )
    xlsx_all_groupings = fields.Boolean(
        string="Every Grouping in Excel",
        help="Export one sheet per grouping (company, customer, salesperson, collector, "
        "credit grade, currency) instead of the chosen one only.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    company_ids = fields.Many2many(
        "res.company", string="Companies", required=True, default=lambda self: self.env.companies
    )
    partner_ids = fields.Many2many(
        "res.partner", string="Customers", help="Leave empty for every customer."
    )
    recipient_ids = fields.Many2many(
        "res.partner",
        relation="credit_kpi_wizard_recipient_rel",
        string="Send To",
        help="Who receives the monthly KPI report by email.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("period")
    def _compute_dates(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.period == "custom" and wizard.date_from and wizard.date_to:
                continue
            wizard.date_from, wizard.date_to = self._period_dates(wizard.period, today)

    @api.model
    def _period_dates(self, period, today):
        """First and last day of a quick choice of period, relative to ``today``."""
        month_start = today.replace(day=1)
        if period == "this_quarter":
            return month_start - relativedelta(months=(today.month - 1) % 3), today
        if period == "last_12_months":
            return month_start - relativedelta(months=12), month_start - timedelta(days=1)
        return month_start - relativedelta(months=1), month_start - timedelta(days=1)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_analysis(self):
        """Open the rows: one per group, a total row per company.

        Nothing is computed or written here: the action's context carries the parameters
        and ``credit.kpi.line`` computes its rows where the list and graph read them
        (read-only calls, served on the replica when there is one). This button itself
        stays on the primary: it reads the wizard the client has just saved."""
        self.ensure_one()
        self._check_companies()
        lines = self.env["credit.kpi.line"]
        # rows of two analyses share ids: none read before may answer for this one
        lines.invalidate_model()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Receivables KPIs %(date_from)s - %(date_to)s",
                date_from=self.date_from,
                date_to=self.date_to,
            ),
            "res_model": "credit.kpi.line",
            "views": [(False, "list"), (False, "graph")],
            "context": {
                "kpi_wizard_id": self.id,
                **lines._analysis_context(self),
            },
        }

    def action_export_xlsx(self):
        self.ensure_one()
        return xlsx_formats.download_action(self, self._file_name("xlsx"), self._render_xlsx())

    def action_print_pdf(self):
        self.ensure_one()
        self._check_companies()
        return self.env.ref("credit_collection.action_report_credit_kpi").report_action(self)

    def action_send_email(self):
        """Queue the monthly KPI report, PDF attached, to the chosen recipients."""
        self.ensure_one()
        self._check_companies()
        if not self.recipient_ids:
            raise UserError(
                self.env._("Choose who receives the KPI report in Send To, then send it again.")
            )
        template = self.env.ref("credit_collection.mail_template_credit_kpi_report")
        template.send_mail(
            self.id,
            email_values={"recipient_ids": [fields.Command.set(self.recipient_ids.ids)]},
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The KPI report is queued for %(recipients)s.",
                    recipients=", ".join(self.recipient_ids.mapped("display_name")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_companies(self):
        """The KPIs are read in SQL, past record rules: refuse companies the user does not
        work in."""
        # _origin: the records themselves when the wizard is unsaved (credit.kpi.line)
        foreign = self.company_ids._origin - self.env.user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You do not work for %(companies)s: remove it from Companies to see the "
                    "receivables KPIs of your own companies.",
                    companies=", ".join(foreign.mapped("name")),
                )
            )

    def _get_partner_ids(self):
        """The chosen customers as the commercial partners the engine groups by."""
        return self.partner_ids._origin.commercial_partner_id.ids or None

    def _get_kpis_by_group(self, group_by, date_from=None, date_to=None):
        """``{company: (kpis of the company, {group id: kpis})}``: one grouped call of the
        engine per company, and the company's own figures for its total row."""
        self._check_companies()
        date_from, date_to = date_from or self.date_from, date_to or self.date_to
        partners = self._get_partner_ids()
        return {
            company: (
                company._get_receivable_kpis(date_from, date_to, partners),
                company._get_receivable_kpis_grouped(date_from, date_to, group_by, partners),
            )
            for company in self.company_ids._origin
        }

    def _group_names(self, group_by, group_ids):
        """``{id: name}`` of the groups, read in one go; ``None`` is the group of the items
        without one (no salesperson, no grade...)."""
        model = self.env["credit.receivable.query"]._kpi_group_columns()[group_by]
        records = self.env[model].browse([gid for gid in group_ids if gid])
        names = {record.id: record.display_name for record in records}
        names[None] = self.env._("None")
        return names

    def _get_line_values(self):
        """The rows of the on-screen analysis (``credit.kpi.line``): the KPIs of the chosen
        grouping, a total row per company; read only, whatever cursor it runs on."""
        by_company = self._get_kpis_by_group(self.group_by)
        names = self._group_names(
            self.group_by, {gid for _total, groups in by_company.values() for gid in groups}
        )
        vals_list = []
        for company, (total, groups) in by_company.items():
            for group_id, kpis in groups.items():
                vals_list.append(
                    {
                        **self._line_vals(company, kpis),
                        "res_id": group_id or 0,
                        "name": names[group_id],
                        GROUP_FIELDS[self.group_by]: group_id or False,
                    }
                )
            vals_list.append(
                {
                    **self._line_vals(company, total),
                    "is_total": True,
                    "name": self.env._("Total %(company)s", company=company.name),
                }
            )
        return vals_list

    def _line_vals(self, company, kpis):
        return {
            **self.env["credit.kpi.line"]._kpi_values(kpis),
            "company_id": company.id,
            "group_by": self.group_by,
            "is_total": False,
            "res_id": 0,
        }

    def _previous_period(self):
        """The period just before: as many whole months when the period is whole months,
        else as many days."""
        date_from, date_to = self.date_from, self.date_to
        if date_from.day == 1 and (date_to + timedelta(days=1)).day == 1:
            delta = relativedelta(date_to + timedelta(days=1), date_from)
            months = delta.years * 12 + delta.months
            previous_to = date_from - timedelta(days=1)
            return date_from - relativedelta(months=months), previous_to
        days = (date_to - date_from).days + 1
        return date_from - timedelta(days=days), date_from - timedelta(days=1)

    def _format_kpi(self, key, value, currency):
        """A KPI as the reports print it: days with one decimal, rates as percentages, money
        in the company's currency; an unknown ratio as a dash."""
        if value is None:
            return "–"
        kind = KPI_KINDS[key]
        if kind == "money":
            return format_amount(self.env, value, currency)
        if kind == "days":
            return formatLang(self.env, value, digits=1)
        percent = value if kind == "percent" else value * 100
        return f"{formatLang(self.env, percent, digits=1)} %"

    def _file_name(self, extension):
        return self.env._(
            "Receivables KPIs %(date_from)s - %(date_to)s.%(extension)s",
            date_from=self.date_from,
            date_to=self.date_to,
            extension=extension,
        )

    def _group_label(self, group_by):
        return dict(self._fields["group_by"]._description_selection(self.env))[group_by]

    # ------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------

    def _get_report_data(self):
        """Values of the monthly KPI report, per company: the KPIs of the period beside the
        previous period's, the month-end snapshot when there is one, the top customers by
        overdue, and the KPIs per collector and per credit grade."""
        self.ensure_one()
        previous_from, previous_to = self._previous_period()
        current = self._get_kpis_by_group("partner_id")
        previous = self._get_kpis_by_group("company_id", previous_from, previous_to)
        by_collector = self._get_kpis_by_group("collector_id")
        by_grade = self._get_kpis_by_group("grade_id")
        snapshots = self.env["credit.receivable.snapshot"]._get_snapshot_totals(
            self.company_ids.ids, self.date_to, self.date_to
        )
        descriptions = self.env["res.company"]._get_receivable_kpi_descriptions()
        companies = []
        for company, (kpis, customers) in current.items():
            currency = company.currency_id
            companies.append(
                {
                    "company": company,
                    "currency": currency,
                    "kpis": [
                        {
                            "key": key,
                            "label": label,
                            "current": self._format_kpi(key, kpis[key], currency),
                            "previous": self._format_kpi(key, previous[company][0][key], currency),
                        }
                        for key, (label, _help) in descriptions.items()
                    ],
                    "snapshot": self._snapshot_row(snapshots, company, kpis),
                    "top_customers": self._report_rows(
                        "partner_id", customers, currency, TOP_CUSTOMERS
                    ),
                    "collectors": self._report_rows(
                        "collector_id", by_collector[company][1], currency
                    ),
                    "grades": self._report_rows("grade_id", by_grade[company][1], currency),
                }
            )
        return {
            "previous_from": previous_from,
            "previous_to": previous_to,
            "definitions": list(descriptions.values()),
            "companies": companies,
        }

    def _snapshot_row(self, snapshots, company, kpis):
        """The month-end snapshot of ``date_to``: what was reported then, beside today's
        figure of the same date (they differ when a late entry or matching moved it)."""
        if (company.id, self.date_to) not in snapshots:
            return None
        total, not_due = snapshots[company.id, self.date_to]
        currency = company.currency_id
        return {
            "total": format_amount(self.env, total, currency),
            "not_due": format_amount(self.env, not_due, currency),
            "matches": currency.is_zero(total - kpis["ar_end"])
            and currency.is_zero(not_due - kpis["current_ar_end"]),
        }

    def _report_rows(self, group_by, groups, currency, limit=None):
        """Rows of a report table, largest overdue first."""
        names = self._group_names(group_by, groups)
        rows = sorted(
            groups.items(),
            key=lambda item: (-(item[1]["ar_end"] - item[1]["current_ar_end"]), names[item[0]]),
        )
        if limit:
            rows = [row for row in rows if row[1]["ar_end"] - row[1]["current_ar_end"] > 0]
        return [
            {
                "name": names[group_id],
                "ar_end": self._format_kpi("ar_end", kpis["ar_end"], currency),
                "overdue": format_amount(
                    self.env, kpis["ar_end"] - kpis["current_ar_end"], currency
                ),
                **{
                    key: self._format_kpi(key, kpis[key], currency)
                    for key in ("overdue_rate", "dso", "cei", "collection_rate")
                },
            }
            for group_id, kpis in rows[:limit]
        ]

    # ------------------------------------------------------------
    # EXCEL
    # ------------------------------------------------------------

    def _render_xlsx(self):
        """The KPIs as an xlsx workbook (bytes): a sheet per grouping, then the definitions."""
        self.ensure_one()
        groupings = (
            list(self.env["credit.receivable.query"]._kpi_group_columns())
            if self.xlsx_all_groupings
            else [self.group_by]
        )
        data = {group_by: self._get_kpis_by_group(group_by) for group_by in groupings}
        descriptions = self.env["res.company"]._get_receivable_kpi_descriptions()

        def fill(workbook, formats):
            formats |= self._xlsx_kpi_formats(workbook)
            for group_by in groupings:
                self._xlsx_group_sheet(workbook, formats, group_by, data[group_by], descriptions)
            self._xlsx_definitions_sheet(workbook, formats, descriptions)

        return xlsx_formats.workbook_bytes(fill)

    def _xlsx_kpi_formats(self, workbook):
        """Days with one decimal, rates as percentages, money in each company's currency."""
        formats = {
            "days": workbook.add_format({"num_format": "#,##0.0"}),
            "rate": workbook.add_format({"num_format": "0.0%"}),
        }
        formats["percent"] = formats["rate"]
        for currency in self.company_ids.currency_id:
            decimals = "." + "0" * currency.decimal_places if currency.decimal_places else ""
            symbol = currency.symbol.replace('"', "")
            number = f"#,##0{decimals}"
            pattern = (
                f'"{symbol}"{number}' if currency.position == "before" else f'{number}" {symbol}"'
            )
            formats[currency] = workbook.add_format({"num_format": pattern})
            formats[("total", currency)] = workbook.add_format(
                {"num_format": pattern, "bold": True, "top": 1}
            )
        return formats

    def _xlsx_group_sheet(self, workbook, formats, group_by, by_company, descriptions):
        label = self._group_label(group_by)
        sheet = workbook.add_worksheet(label[:31])
        sheet.write(
            0, 0, self.env._("Receivables KPIs by %(group)s", group=label), formats["title"]
        )
        sheet.write(1, 0, self.env._("Companies"), formats["text"])
        sheet.write(1, 1, ", ".join(company.name for company in by_company), formats["text"])
        sheet.write(2, 0, self.env._("Period"), formats["text"])
        xlsx_formats.write_date(sheet, 2, 1, self.date_from, formats)
        xlsx_formats.write_date(sheet, 2, 2, self.date_to, formats)
        headers = [self.env._("Company"), label, *(desc[0] for desc in descriptions.values())]
        sheet.write_row(4, 0, headers, formats["header"])
        sheet.freeze_panes(5, 2)
        sheet.set_column(0, 1, 28)
        sheet.set_column(2, len(headers), 16)
        row = 5
        for company, (total, groups) in by_company.items():
            names = self._group_names(group_by, groups)
            ordered = sorted(groups.items(), key=lambda item: (-item[1]["ar_end"], names[item[0]]))
            for group_id, kpis in ordered:
                sheet.write(row, 0, company.name, formats["text"])
                sheet.write(row, 1, names[group_id], formats["text"])
                self._xlsx_kpi_cells(sheet, formats, row, kpis, currency=company.currency_id)
                row += 1
            sheet.write(row, 0, company.name, formats["total_text"])
            sheet.write(row, 1, self.env._("Total"), formats["total_text"])
            self._xlsx_kpi_cells(
                sheet, formats, row, total, currency=company.currency_id, total=True
            )
            row += 1

    def _xlsx_kpi_cells(self, sheet, formats, row, kpis, *, currency, total=False):
        for col, key in enumerate(KPI_KINDS, start=2):
            value, kind = kpis[key], KPI_KINDS[key]
            if value is None:
                continue
            if kind == "money":
                sheet.write_number(
                    row, col, value, formats[("total", currency) if total else currency]
                )
            else:
                sheet.write_number(
                    row, col, value / 100 if kind == "percent" else value, formats[kind]
                )

    def _xlsx_definitions_sheet(self, workbook, formats, descriptions):
        sheet = workbook.add_worksheet(self.env._("Definitions"))
        sheet.write_row(0, 0, [self.env._("KPI"), self.env._("Definition")], formats["header"])
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 1, 100)
        for row, (label, help_text) in enumerate(descriptions.values(), start=1):
            sheet.write(row, 0, label, formats["text"])
            sheet.write(row, 1, help_text, formats["text"])
