import logging
import os
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from urllib.parse import urlparse

import lxml.html
from lxml import etree

from odoo import api, models, modules, tools
from odoo.addons.base.models.ir_actions_report import _run_wkhtmltopdf, _split_table, _wkhtml
from odoo.exceptions import UserError
from odoo.http import request, root
from odoo.service import security
from odoo.tools import split_every
from odoo.tools.pdf import merge_pdf

_logger = logging.getLogger(__name__)

# Documents per wkhtmltopdf call, at most: each call starts the program, loads the report CSS
# and waits the configured JavaScript delay (report.print_delay, 1 s by default) once, whatever
# the number of documents (500 statements: 13.9 s at 25 a call, 4.9 s at 100, docs/benchmarks.md)
DOCUMENTS_PER_CALL = 100
# and HTML per call, at most: long documents (a statement of 2,000 open items) go a few a call
HTML_PER_CALL = 1024 * 1024
# wkhtmltopdf calls at once, per core: a call spends most of its time waiting (the JavaScript
# delay, the assets), not computing
CALLS_PER_CORE = 2
# Odoo splits bodies over 4 MiB into tables of 500 rows: wkhtmltopdf slows down
# exponentially on long tables (see _run_wkhtmltopdf in base)
LONG_BODY = 4 * 1024 * 1024
LAYOUT_CLASS = "//div[contains(concat(' ', normalize-space(@class), ' '), ' %s ')]"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    # ------------------------------------------------------------
    # RENDERING
    # ------------------------------------------------------------

    def _get_rendering_context(self, report, docids, data):
        """Tell the templates whether the PDF will print the layout's header: Debian's
        wkhtmltopdf (no patched Qt) does not, and then our statements and dunning letters
        name the company, with its address, in their body (``report_company_in_body``)."""
        values = super()._get_rendering_context(report, docids, data)
        values["company_in_body"] = not _wkhtml().is_patched_qt
        return values

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _render_qweb_pdf_merged(self, report_ref, records, data=None, lang=None):
        """The documents of ``records`` as one PDF, each in its own language.

        Batches of statements and dunning letters go through here; this is the one place
        that decides how batches are rendered, whatever the document:

        - the records are taken ``DOCUMENTS_PER_CALL`` at a time: their HTML is rendered
          with one QWeb call per language and cut into chunks of ``HTML_PER_CALL`` bytes at
          most, one wkhtmltopdf call per chunk;
        - the calls run in threads (``CALLS_PER_CORE`` per CPU core) while the next records
          are rendered: QWeb (Python, this thread) and wkhtmltopdf (its own processes) work
          at the same time;
        - with a wkhtmltopdf built on patched Qt a call gets one body per document, as Odoo
          does (company header and footer, page numbers per document); Debian's build has
          no patched Qt, refuses several bodies in one call and ignores headers and footers,
          so a call gets one body holding the chunk's documents separated by page breaks.

        :param report_ref: xml id or record of the ``ir.actions.report``
        :param records: the records, in the order of the pages
        :param data: passed to every render
        :param lang: ``record -> language code`` (default: the user's language)
        :return: the PDF as bytes, or ``b""`` when there is no record
        """
        if not records:
            return b""
        report = self._get_report(report_ref)
        data = {**(data or {}), "report_type": "pdf", "debug": False}
        if (
            modules.module.current_test or tools.config["test_enable"]
        ) and not self.env.context.get("force_report_rendering"):
            # like _render_qweb_pdf: tests without wkhtmltopdf workers get the HTML
            return b"".join(
                self.with_context(lang=code)._render_qweb_html(report_ref, ids, data=dict(data))[0]
                for code, ids in self._merged_pdf_languages(records, lang).items()
            )
        patched = _wkhtml().is_patched_qt
        jobs = (
            report._merged_pdf_job(chunk, patched=patched)
            for chunk in self._merged_pdf_chunks(report, records, data, lang)
        )
        try:
            pdfs = self._merged_pdf_run(jobs)
        except _NotOneArticlePerRecord:
            return self._render_qweb_pdf_one_by_one(report, records, data, lang)
        return pdfs[0] if len(pdfs) == 1 else merge_pdf(pdfs)

    def _merged_pdf_chunks(self, report, records, data, lang):
        """The documents of ``records``, in order, cut into the chunks one wkhtmltopdf call
        converts; rendered as they are asked for."""
        for ids in split_every(DOCUMENTS_PER_CALL, records.ids):
            part = records.browse(ids)
            languages = self._merged_pdf_languages(part, lang)
            documents = self._merged_pdf_documents(report, part, data, languages)
            if documents is None:
                raise _NotOneArticlePerRecord
            chunk, size = [], 0
            for document in documents:
                length = len(etree.tostring(document[1]))
                if chunk and size + length > HTML_PER_CALL:
                    yield chunk
                    chunk, size = [], 0
                chunk.append(document)
                size += length
            yield chunk

    @api.model
    def _merged_pdf_languages(self, records, lang):
        """``{language code: [record ids]}``, ids in the order of ``records``."""
        languages = defaultdict(list)
        for record in records:
            languages[(lang and lang(record)) or self.env.lang or "en_US"].append(record.id)
        return languages

    def _merged_pdf_documents(self, report, records, data, languages):
        """``[(header, article, footer)]`` lxml nodes in the order of ``records``.

        ``None`` when the template does not give one article per record (then the documents
        are rendered one by one).
        """
        nodes = {}
        for code, ids in languages.items():
            html = self.with_context(lang=code, debug=False)._render_qweb_html(
                report, ids, data=dict(data)
            )[0]
            tree = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
            headers, articles, footers = (
                tree.xpath(LAYOUT_CLASS % name) for name in ("header", "article", "footer")
            )
            if len(articles) != len(ids) or {len(headers), len(footers)} - {0, len(ids)}:
                return None
            for index, record_id in enumerate(ids):
                nodes[record_id] = (
                    headers[index] if headers else None,
                    articles[index],
                    footers[index] if footers else None,
                    dict(tree.items()),
                )
        return [nodes[record.id] for record in records]

    def _merged_pdf_job(self, documents, patched):
        """What one wkhtmltopdf call needs: ``(command, bodies, header, footer)``.

        Reuses Odoo's ``_prepare_html`` on a page made of the chunk's documents, so each
        body is laid out in its document's language exactly as Odoo would print it.
        """
        self.ensure_one()
        page = etree.Element("html", attrib=documents[0][3])
        main = etree.SubElement(etree.SubElement(page, "body"), "main")
        for header, article, footer, _attributes in documents:
            main.extend(node for node in (header, article, footer) if node is not None)
        bodies, _ids, header, footer, paperformat_args = self.with_context(
            debug=False
        )._prepare_html(etree.tostring(page, encoding="unicode"), report_model=self.model)
        if not patched:
            bodies = [self._merged_pdf_single_body(bodies)]
        command = self._build_wkhtmltopdf_args(
            self.get_paperformat(),
            self.env.context.get("landscape"),
            specific_paperformat_args=paperformat_args,
            set_viewport_size=self.env.context.get("set_viewport_size"),
        )
        return command, bodies, header, footer

    @api.model
    def _merged_pdf_single_body(self, bodies):
        """Several laid-out bodies as one HTML page, each document starting a new page.

        Unpatched Qt converts a single input; the page of the first body receives the
        content of the others, each in a block keeping its text direction.
        """
        if len(bodies) == 1:
            return bodies[0]
        parser = lxml.html.HTMLParser(encoding="utf-8")
        first = lxml.html.fromstring(bodies[0].encode(), parser=parser)
        first_body = first.find("body")
        for body in bodies[1:]:
            other = lxml.html.fromstring(body.encode(), parser=parser).find("body")
            block = etree.SubElement(
                first_body,
                "div",
                attrib={"style": "page-break-before: always;", "dir": other.get("dir") or "ltr"},
            )
            block.extend(list(other))
        return "<!DOCTYPE html>\n" + lxml.html.tostring(first, encoding="unicode")

    def _merged_pdf_run(self, jobs):
        """Run the wkhtmltopdf calls of ``jobs`` in threads as the jobs come (the generator
        renders the next ones meanwhile) and return their PDFs in order.

        Whatever touches the database happens in this thread: the others only run the
        program.
        """
        with ExitStack() as stack:
            cookie_jar = self._merged_pdf_cookie_jar(stack)
            pool = stack.enter_context(
                ThreadPoolExecutor(CALLS_PER_CORE * (os.cpu_count() or 1), "credit_pdf")
            )
            futures = [
                pool.submit(
                    _convert,
                    [*command, "--cookie-jar", cookie_jar] if cookie_jar else command,
                    bodies,
                    header,
                    footer,
                )
                for command, bodies, header, footer in jobs
            ]
            results = [future.result() for future in futures]
        for returncode, error, _pdf in results:
            if returncode not in (0, 1):
                message = self.env._(
                    "Wkhtmltopdf failed (error code: %(error_code)s). Message: %(message)s",
                    error_code=returncode,
                    message=error[-1000:],
                )
                _logger.warning(message)
                raise UserError(message)
            if returncode == 1:
                _logger.warning("wkhtmltopdf: %s", error)
        return [pdf for _returncode, _error, pdf in results]

    @api.model
    def _merged_pdf_cookie_jar(self, stack):
        """The session cookie wkhtmltopdf needs to load the report assets (as Odoo does)."""
        if not (request and request.db):
            return None
        session = root.session_store.new()
        session.update({**request.session, "debug": "", "_trace_disable": True})
        if session.uid:
            session.session_token = security.compute_session_token(session, self.env)
        root.session_store.save(session)
        stack.callback(root.session_store.delete, session)
        domain = urlparse(self._get_report_url()).hostname
        cookie = f"session_id={session.sid}; HttpOnly; domain={domain}; path=/;"
        return _temp_file(stack, cookie.encode(), "report.cookie_jar.tmp.", ".txt")

    def _render_qweb_pdf_one_by_one(self, report, records, data, lang):
        """Fallback for templates without one article per record: one call per record."""
        documents = []
        for record in records:
            code = (lang and lang(record)) or self.env.lang
            pdf, _type = self.with_context(lang=code)._render_qweb_pdf(
                report, record.ids, data=dict(data)
            )
            documents.append(pdf)
        return documents[0] if len(documents) == 1 else merge_pdf(documents)


class _NotOneArticlePerRecord(Exception):
    """The template does not give one article per record: render the records one by one."""


def _temp_file(stack, content, prefix, suffix):
    handle, path = tempfile.mkstemp(prefix=prefix, suffix=suffix)
    stack.callback(os.unlink, path)
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    return path


def _convert(command, bodies, header, footer):
    """One wkhtmltopdf call: ``(return code, stderr, pdf bytes)``. No database access.

    Files are named as Odoo names them: the header script of ``web.minimal_layout`` reads
    the body's index from its file name (``report.body.tmp.<index>.``).
    """
    with ExitStack() as stack:
        args = list(command)
        if header:
            args += [
                "--header-html",
                _temp_file(stack, header.encode(), "report.header.tmp.", ".html"),
            ]
        if footer:
            args += [
                "--footer-html",
                _temp_file(stack, footer.encode(), "report.footer.tmp.", ".html"),
            ]
        for index, body in enumerate(bodies):
            if len(body) < LONG_BODY:
                content = body.encode()
            else:
                tree = lxml.html.fromstring(body)
                _split_table(tree, 500)
                content = lxml.html.tostring(tree)
            args.append(_temp_file(stack, content, f"report.body.tmp.{index}.", ".html"))
        output = _temp_file(stack, b"", "report.tmp.", ".pdf")
        process = _run_wkhtmltopdf([*args, output])
        with open(output, "rb") as file:
            return process.returncode, process.stderr or "", file.read()
