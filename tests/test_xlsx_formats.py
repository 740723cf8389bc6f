"""Plain pytest: the Excel helpers shared by the aging report and the statements."""

import io
from datetime import date, datetime

import openpyxl

from odoo.addons.credit_collection.tools import xlsx_formats


def _fill(workbook, formats):
    sheet = workbook.add_worksheet("Sheet")
    sheet.write(0, 0, "Title", formats["title"])
    xlsx_formats.write_date(sheet, 1, 0, date(2026, 3, 31), formats)
    xlsx_formats.write_date(sheet, 1, 1, None, formats)
    sheet.write_number(1, 2, 1234.5, formats["money"])
    sheet.write_number(1, 3, 10.0, formats["total_money"])


def test_workbook_holds_dates_and_money_in_their_formats():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_formats.workbook_bytes(_fill)))
    sheet = book.active
    assert sheet["A1"].value == "Title"
    assert sheet["A1"].font.b
    assert sheet["A2"].value == datetime(2026, 3, 31)
    assert sheet["A2"].number_format == xlsx_formats.DATE
    assert sheet["B2"].value is None
    assert sheet["C2"].number_format == xlsx_formats.MONEY
    assert sheet["D2"].font.b


def test_every_format_is_added():
    formats = {}

    def fill(workbook, added):
        formats.update(added)
        workbook.add_worksheet()

    xlsx_formats.workbook_bytes(fill)
    assert set(formats) == set(xlsx_formats.FORMATS)
