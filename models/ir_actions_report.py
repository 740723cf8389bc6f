from odoo import models
from odoo.tools.pdf import merge_pdf


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _render_qweb_pdf_merged(self, report_ref, records, data=None, lang=None):
        """The documents of ``records`` as one PDF, each in its own language.

        Batches of statements and dunning letters go through here. Debian's wkhtmltopdf has
        no patched Qt, and Odoo 19 then refuses several documents in one call, so each
        record is rendered on its own and the PDFs are merged; this is the one place that
        decides how batches are rendered, whatever the document.

        :param report_ref: xml id or record of the ``ir.actions.report``
        :param records: the records, in the order of the pages
        :param data: passed to every render
        :param lang: ``record -> language code`` (default: the user's language)
        :return: the PDF as bytes, or ``b""`` when there is no record
        """
        documents = []
        for record in records:
            report = self.with_context(lang=(lang and lang(record)) or self.env.lang)
            pdf, _report_type = report._render_qweb_pdf(report_ref, record.ids, data=data)
            documents.append(pdf)
        if len(documents) < 2:
            return documents[0] if documents else b""
        return merge_pdf(documents)
