"""The letters of a dunning run when the filestore cannot take their PDF (a full disk):
no batch is recorded without its PDF, the log says what to do, and the next run prints the
letters once, sending nothing twice.

The fault is injected below the ORM: the file Odoo's own ``ir.attachment._file_write``
opens for writing takes half of the PDF then raises ENOSPC, as a full disk does; or, for a
storage that logs the failed write instead of raising it, the write does nothing."""

import errno
import os
from unittest.mock import patch

from odoo.addons.base.models import ir_attachment
from odoo.tests import tagged

from .collection_common import CollectionCommon

LETTER_LOGGER = "odoo.addons.credit_collection.models.collection_letter_batch"


class FullDiskFile:
    """A file opened for writing on a disk with room for half of what is written."""

    def __init__(self, path, mode):
        self.path = path
        self.handle = open(path, mode)  # noqa: SIM115 (closed by __exit__)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    # a file's write, not a model's: nothing to call super() on
    def write(self, data):  # pylint: disable=method-required-super
        self.handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.path)


@tagged("post_install", "-at_install")
class TestCollectionLetterFaults(CollectionCommon):
    def setUp(self):
        super().setUp()
        self.partial_files = []
        self._invoice(self.acme)
        self._invoice(self.globex)
        self._run(self._days(14))  # the reminder emails, before any letter level

    def _full_disk_open(self, path, mode="r", *args, **kwargs):
        if "w" not in mode:
            return open(path, mode, *args, **kwargs)  # noqa: SIM115 (the caller closes it)
        self.partial_files.append(path)
        return FullDiskFile(path, mode)

    def _letter_notices(self):
        return self.env["collection.notice"].search(
            [("partner_id", "in", (self.acme + self.globex).ids), ("level_id.days", "=", 15)]
        )

    def _assert_nothing_printed(self, logs):
        self.assertFalse(self.env["collection.letter.batch"].search([]), "no batch without PDF")
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "collection.letter.batch")])
        )
        notices = self._letter_notices()
        self.assertEqual(len(notices), 2)
        self.assertEqual(set(notices.mapped("state")), {"sent"}, "the sending is kept")
        self.assertFalse(notices.letter_batch_id, "the letters wait for the next run")
        self.assertIn("not printed", logs.output[0])
        self.assertIn("2 letters wait", logs.output[0])
        self.assertIn("free space", logs.output[0])

    def _assert_next_run_prints_once(self):
        mails = {p: len(self._mails(self._case(p))) for p in (self.acme, self.globex)}
        self._run(self._days(15))
        self._run(self._days(15))
        batch = self.env["collection.letter.batch"].search([])
        self.assertRecordValues(batch, [{"letter_count": 2, "state": "to_send"}])
        self.assertEqual(batch.notice_ids, self._letter_notices())
        self.assertTrue(batch.attachment_id.raw, "the PDF is in the filestore")
        for partner, count in mails.items():
            self.assertEqual(len(self._mails(self._case(partner))), count, "nothing sent twice")

    def test_a_full_disk_leaves_no_batch_and_the_next_run_prints_once(self):
        with (
            patch.object(ir_attachment, "open", self._full_disk_open, create=True),
            self.assertLogs(LETTER_LOGGER, "ERROR") as logs,
        ):
            self._run(self._days(15))
        self.assertTrue(self.partial_files, "the PDF's write was attempted")
        self._assert_nothing_printed(logs)
        for path in self.partial_files:
            self.assertFalse(os.path.exists(path), "no half-written file left in the filestore")
        self._assert_next_run_prints_once()

    def test_a_write_failure_the_storage_swallows_is_noticed(self):
        def write_nothing(attachment, bin_value, checksum):
            return attachment._get_path(bin_value, checksum)[0]

        with (
            patch.object(type(self.env["ir.attachment"]), "_file_write", write_nothing),
            self.assertLogs(LETTER_LOGGER, "ERROR") as logs,
        ):
            self._run(self._days(15))
        self._assert_nothing_printed(logs)
        self._assert_next_run_prints_once()
