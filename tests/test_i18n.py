"""Plain pytest: the Chinese catalogue covers every string the addon exposes."""

import fnmatch
import os
from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import (
    JAVASCRIPT_TRANSLATION_COMMENT,
    PYTHON_TRANSLATION_COMMENT,
    TranslationModuleReader,
)

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


class AddonTermsReader(TranslationModuleReader):
    """Odoo's exporter, but the code terms are read from the addon's own folder only.

    Odoo walks every addons folder following links: in a checkout that also holds .venv/
    and the .addons/ link back to itself it reads thousands of files or never ends
    (scripts/i18n.sh exports a copy of the tracked files for the same reason). Hidden folders
    are skipped; the extraction of each file is Odoo's.
    """

    def _export_translatable_resources(self):
        addon = get_module_path(MODULE)
        path = os.path.dirname(addon)
        self._path_list = [(path, True)]
        for root, dirs, files in os.walk(addon):
            dirs[:] = [name for name in dirs if not name.startswith(".")]
            for fname in fnmatch.filter(files, "*.py"):
                self._babel_extract_terms(
                    fname,
                    path,
                    root,
                    "odoo.tools.babel:extract_python",
                    extra_comments=[PYTHON_TRANSLATION_COMMENT],
                    extract_keywords={"_": None, "_lt": None},
                )
            if fnmatch.fnmatch(root, "*/static/src*"):
                for fname in fnmatch.filter(files, "*.js"):
                    self._babel_extract_terms(
                        fname,
                        path,
                        root,
                        "odoo.tools.babel:extract_javascript",
                        extra_comments=[JAVASCRIPT_TRANSLATION_COMMENT],
                        extract_keywords={"_t": None},
                    )
                for fname in fnmatch.filter(files, "*.xml"):
                    self._babel_extract_terms(
                        fname,
                        path,
                        root,
                        "odoo.tools.translate:babel_extract_qweb",
                        extra_comments=[JAVASCRIPT_TRANSLATION_COMMENT],
                    )


@tagged("post_install", "-at_install")
class TestTemplateCompleteness(TransactionCase):
    def test_template_holds_every_term_the_addon_exports(self):
        """A term added to a view, a model or the code since the template was last
        regenerated (`make i18n`) is shown in English to a Chinese user: the addon's terms,
        extracted the way Odoo exports them, are all in i18n/credit_collection.pot."""
        reader = AddonTermsReader(self.env.cr, modules=[MODULE])
        exported = {source for module, _t, _n, _r, source, _v, _c in reader if module == MODULE}
        self.assertGreater(len(exported), 100, "the addon's terms are extracted")
        template = {entry.msgid for entry in polib.pofile(str(I18N / "credit_collection.pot"))}
        missing = sorted(exported - template)
        self.assertFalse(
            missing, f"terms missing from credit_collection.pot (make i18n): {missing}"
        )
