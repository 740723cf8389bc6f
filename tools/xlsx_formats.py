"""What the addon's Excel files share (aging report, customer statements): the cell formats,
the in-memory workbook and date cells. Plain Python over xlsxwriter, no ORM."""

import io
from datetime import date, datetime, time

import xlsxwriter

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
# name -> xlsxwriter format properties; every sheet of the addon writes with these names
FORMATS = {
    "title": {"bold": True, "font_size": 14},
    "header": {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True},
    "text": {},
    "date": {"num_format": DATE},
    "money": {"num_format": MONEY},
    "total_text": {"bold": True, "top": 1},
    "total_money": {"bold": True, "top": 1, "num_format": MONEY},
}


def add_formats(workbook):
    """``{name: xlsxwriter format}`` of ``FORMATS``, added to ``workbook``."""
    return {name: workbook.add_format(dict(properties)) for name, properties in FORMATS.items()}


def workbook_bytes(fill):
    """The .xlsx file (bytes) that ``fill(workbook, formats)`` writes, built in memory."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    fill(workbook, add_formats(workbook))
    workbook.close()
    return output.getvalue()


def write_date(sheet, row, col, value, formats):
    """A date cell in the date format; an empty date leaves the cell empty."""
    if not value:
        return
    if not isinstance(value, datetime) and isinstance(value, date):
        value = datetime.combine(value, time.min)
    sheet.write_datetime(row, col, value, formats["date"])


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_action(record, name, raw, mimetype=XLSX_MIMETYPE):
    """The action that downloads ``raw`` as the file ``name``, kept as an attachment of
    ``record`` (the wizard that made it): what every export and print button returns."""
    attachment = record.env["ir.attachment"].create(
        {
            "name": name,
            "raw": raw,
            "res_model": record._name,
            "res_id": record.id,
            "mimetype": mimetype,
        }
    )
    return {
        "type": "ir.actions.act_url",
        "url": f"/web/content/{attachment.id}?download=true",
        "target": "download",
    }
