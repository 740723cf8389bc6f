"""Plain pytest: the Chinese catalogue covers every string the addon exposes."""

from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"
MODULE = "credit_collection"


def test_zh_cn_translates_every_term_of_the_template():
    template = polib.pofile(str(I18N / "credit_collection.pot"))
    chinese = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(I18N / "zh_CN.po"))}
    missing = [e.msgid for e in template if not chinese.get((e.msgctxt, e.msgid))]
    assert not missing, f"untranslated in zh_CN.po: {missing}"


def test_zh_cn_keeps_the_placeholders():
    for entry in polib.pofile(str(I18N / "zh_CN.po")):
        for token in ("%(", "%s"):
            assert entry.msgid.count(token) == entry.msgstr.count(token), entry.msgid


@tagged("post_install", "-at_install")
class TestTemplateCompleteness(TransactionCase):
    def test_template_holds_every_term_the_addon_exports(self):
        """A term added to a view, a model or the code since the template was last
        regenerated (`make i18n`) is shown in English to a Chinese user: the addon's terms,
        extracted the way Odoo exports them, are all in i18n/credit_collection.pot."""
        reader = TranslationModuleReader(self.env.cr, modules=["credit_collection"])
        exported = {source for module, _t, _n, _r, source, _v, _c in reader if module == MODULE}
        self.assertGreater(len(exported), 100, "the addon's terms are extracted")
        template = {entry.msgid for entry in polib.pofile(str(I18N / "credit_collection.pot"))}
        missing = sorted(exported - template)
        self.assertFalse(
            missing, f"terms missing from credit_collection.pot (make i18n): {missing}"
        )
