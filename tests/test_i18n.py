"""Plain pytest: the Chinese catalogue covers every string the addon exposes."""

from pathlib import Path

import polib

I18N = Path(__file__).resolve().parent.parent / "i18n"


def test_zh_cn_translates_every_term_of_the_template():
    template = polib.pofile(str(I18N / "credit_collection.pot"))
    chinese = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(I18N / "zh_CN.po"))}
    missing = [e.msgid for e in template if not chinese.get((e.msgctxt, e.msgid))]
    assert not missing, f"untranslated in zh_CN.po: {missing}"


def test_zh_cn_keeps_the_placeholders():
    for entry in polib.pofile(str(I18N / "zh_CN.po")):
        for token in ("%(", "%s"):
            assert entry.msgid.count(token) == entry.msgstr.count(token), entry.msgid
