from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.credit_receivable_query import AGING_GROUPS
from ..tools import aging_buckets, xlsx_formats


class CreditAgingWizard(models.TransientModel):
    """Aging of receivables as of any date: on screen, as PDF (summary or detailed) and Excel.

    Every output reads ``credit.receivable.query``; this wizard only holds the parameters and
    shapes the numbers for each medium.
    """

    _name = "credit.aging.wizard"
    _description = "Aging Report"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    as_of_date = fields.Date(string="As of", required=True, default=fields.Date.context_today)
    basis = fields.Selection(
        [("due", "Due date"), ("invoice", "Invoice date")],
        string="Age By",
        required=True,
        default="due",
    )
    bucket_limits = fields.Char(
        string="Bucket Limits (days)",
        required=True,
        default=lambda self: ", ".join(
            str(limit) for limit in aging_buckets.default_limits(self.env)[1:]
        ),
        help="Upper limits of the overdue buckets in days, e.g. 30, 60, 90, 180: "
        "not due, 1-30, 31-60, 61-90, 91-180 and over 180.",
    )
    group_by = fields.Selection(
        [
            ("partner_id", "Customer"),
            ("user_id", "Salesperson"),
            ("collector_id", "Collector"),
            ("grade_id", "Credit Grade"),
        ],
        string="Rows",
        required=True,
        default="partner_id",
        help="What each row of the PDF and the Excel file sums: customer, salesperson, "
        "collector or credit grade (per company).",
    )
    report_detail = fields.Selection(
        [("summary", "Summary"), ("detailed", "Detailed")],
        string="Layout",
        required=True,
        default="summary",
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

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_analysis(self):
        """Open the analysis grouped by bucket, drilling to journal items.

        Nothing is computed or written here: the action's context carries the parameters
        and ``credit.aging.line`` computes its rows where the pivot, graph and list read
        them (read-only calls, served on the replica when there is one). This button itself
        stays on the primary: it reads the wizard the client has just saved."""
        self.ensure_one()
        args = self._query_args()
        lines = self.env["credit.aging.line"]
        # rows of two analyses share ids: none read before may answer for this one
        lines.invalidate_model()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Aging as of %(date)s", date=self.as_of_date),
            "res_model": "credit.aging.line",
            "views": [(False, "pivot"), (False, "graph"), (False, "list")],
            "context": {
                "search_default_group_bucket": 1,
                **lines._analysis_context(**args, layout=self.report_detail),
            },
        }

    def action_print_pdf(self):
        self.ensure_one()
        self._get_limits()
        return self.env.ref("credit_collection.action_report_credit_aging").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        return xlsx_formats.download_action(
            self, self.env._("Aging %(date)s.xlsx", date=self.as_of_date), self._render_xlsx()
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_limits(self):
        try:
            return aging_buckets.parse_limits(self.bucket_limits)
        except ValueError:
            raise UserError(
                self.env._(
                    "The bucket limits “%(limits)s” are not valid: type increasing whole numbers "
                    "of days up to %(max)s, separated by commas, for example 30, 60, 90, 180.",
                    limits=aging_buckets.excerpt(self.bucket_limits),
                    max=aging_buckets.MAX_DAYS,
                )
            )

    def _query_args(self):
        """The query layer's arguments: it reads past record rules, so the companies are
        checked against the user's own first (a forged ``company_ids`` is refused)."""
        self.env["credit.aging.line"]._check_companies(self.company_ids.ids)
        return {
            "as_of": self.as_of_date,
            "company_ids": self.company_ids.ids,
            "basis": self.basis,
            "limits": self._get_limits(),
            "partner_ids": self.partner_ids.ids,
        }

    def _get_report_data(self):
        """Numbers of the PDF and the Excel file: per company, per row (customer, salesperson,
        collector or grade), per bucket.

        Summary totals are summed by the database; the detailed layout adds the open items.
        """
        self.ensure_one()
        args = self._query_args()
        query = self.env["credit.receivable.query"]
        totals = query._get_bucket_totals(**args, group_by=self.group_by)
        # iterate one recordset so that every row's record is read in the same query
        records = self.env[AGING_GROUPS[self.group_by]].browse({key for key, _company in totals})
        rows_of = {record.id: record for record in records} | {None: records.browse()}
        items_by_key = {}
        if self.report_detail == "detailed":
            for item in query._get_open_items(**args):
                key = (item[self.group_by], item["company_id"])
                items_by_key.setdefault(key, []).append(item)
        self._browse_items(items_by_key)
        limits = args["limits"]
        companies = []
        for company in self.company_ids.sorted("name"):
            rows = [
                self._report_row(rows_of[key], values, items_by_key.get((key, company.id), []))
                for (key, company_id), values in totals.items()
                if company_id == company.id
            ]
            rows.sort(key=lambda row: (not row["record"], row["name"].lower()))
            bucket_totals = [sum(row["buckets"][i] for row in rows) for i in range(len(limits) + 1)]
            companies.append(
                {
                    "company": company,
                    "currency": company.currency_id,
                    "rows": rows,
                    "totals": bucket_totals,
                    "total": sum(bucket_totals),
                }
            )
        return {
            "labels": aging_buckets.translated_labels(self.env, limits),
            "group_label": self._group_label(),
            "companies": companies,
        }

    def _group_label(self):
        return dict(self._fields["group_by"]._description_selection(self.env))[self.group_by]

    def _report_row(self, record, buckets, items):
        return {
            "record": record,
            "name": record.display_name or self.env._("None"),
            "buckets": buckets,
            "total": sum(buckets),
            "items": items,
        }

    @api.model
    def _browse_items(self, items_by_key):
        """Turn ids into records, prefetched together (no query per printed line)."""
        all_items = [item for items in items_by_key.values() for item in items]
        lines = self.env["account.move.line"].browse([item["move_line_id"] for item in all_items])
        currencies = self.env["res.currency"].browse({item["currency_id"] for item in all_items})
        currencies.mapped("name")
        lines.mapped("move_id.name")
        for item, line in zip(all_items, lines, strict=True):
            item["move_line"] = line
            item["currency"] = currencies.browse(item["currency_id"])

    # ------------------------------------------------------------
    # EXCEL
    # ------------------------------------------------------------

    def _render_xlsx(self):
        """The report as an xlsx workbook (bytes): summary sheet, and items when detailed."""
        data = self._get_report_data()

        def fill(workbook, formats):
            self._xlsx_summary_sheet(workbook, formats, data)
            if self.report_detail == "detailed":
                self._xlsx_detail_sheet(workbook, formats, data)

        return xlsx_formats.workbook_bytes(fill)

    def _xlsx_title(self, sheet, formats, title):
        sheet.write(0, 0, title, formats["title"])
        sheet.write(1, 0, self.env._("As of"), formats["text"])
        xlsx_formats.write_date(sheet, 1, 1, self.as_of_date, formats)
        basis = dict(self._fields["basis"]._description_selection(self.env))[self.basis]
        sheet.write(2, 0, self.env._("Age By"), formats["text"])
        sheet.write(2, 1, basis, formats["text"])

    def _xlsx_summary_sheet(self, workbook, formats, data):
        sheet = workbook.add_worksheet(self.env._("Aging Summary"))
        self._xlsx_title(sheet, formats, self.env._("Aging Report"))
        headers = [self.env._("Company"), data["group_label"], *data["labels"]]
        headers += [self.env._("Total"), self.env._("Currency")]
        header_row = 4
        sheet.write_row(header_row, 0, headers, formats["header"])
        sheet.freeze_panes(header_row + 1, 2)
        sheet.set_column(0, 1, 28)
        sheet.set_column(2, len(headers), 14)
        row = header_row + 1
        for section in data["companies"]:
            for line in section["rows"]:
                sheet.write(row, 0, section["company"].name, formats["text"])
                sheet.write(row, 1, line["name"], formats["text"])
                sheet.write_row(row, 2, [*line["buckets"], line["total"]], formats["money"])
                sheet.write(row, len(headers) - 1, section["currency"].name, formats["text"])
                row += 1
            sheet.write(row, 0, section["company"].name, formats["total_text"])
            sheet.write(row, 1, self.env._("Total"), formats["total_text"])
            sheet.write_row(row, 2, [*section["totals"], section["total"]], formats["total_money"])
            sheet.write(row, len(headers) - 1, section["currency"].name, formats["total_text"])
            row += 1

    def _xlsx_detail_sheet(self, workbook, formats, data):
        sheet = workbook.add_worksheet(self.env._("Open Items"))
        self._xlsx_title(sheet, formats, self.env._("Open Items"))
        headers = [
            self.env._("Company"),
            data["group_label"],
            self.env._("Entry"),
            self.env._("Accounting Date"),
            self.env._("Due Date"),
            self.env._("Days Overdue"),
            self.env._("Aging Bucket"),
            self.env._("Open Amount in Currency"),
            self.env._("Currency"),
            self.env._("Open Amount"),
        ]
        sheet.write_row(4, 0, headers, formats["header"])
        sheet.freeze_panes(5, 3)
        sheet.set_column(0, 2, 24)
        sheet.set_column(3, len(headers), 14)
        row = 5
        for section in data["companies"]:
            for line in section["rows"]:
                for item in line["items"]:
                    self._xlsx_item_row(
                        sheet,
                        formats,
                        row,
                        section=section,
                        line=line,
                        item=item,
                        labels=data["labels"],
                    )
                    row += 1
            sheet.write(row, 0, section["company"].name, formats["total_text"])
            sheet.write(row, 1, self.env._("Total"), formats["total_text"])
            sheet.write(row, 9, section["total"], formats["total_money"])
            row += 1

    def _xlsx_item_row(self, sheet, formats, row, *, section, line, item, labels):
        sheet.write(row, 0, section["company"].name, formats["text"])
        sheet.write(row, 1, line["name"], formats["text"])
        sheet.write(row, 2, item["move_line"].move_id.name or "", formats["text"])
        xlsx_formats.write_date(sheet, row, 3, item["date"], formats)
        xlsx_formats.write_date(sheet, row, 4, item["date_maturity"], formats)
        sheet.write_number(row, 5, item["days_overdue"])
        sheet.write(row, 6, labels[item["bucket"]], formats["text"])
        sheet.write_number(row, 7, float(item["amount_residual_currency"]), formats["money"])
        sheet.write(row, 8, item["currency"].name, formats["text"])
        sheet.write_number(row, 9, float(item["amount_residual"]), formats["money"])
