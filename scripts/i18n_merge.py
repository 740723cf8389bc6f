"""Merge a fresh .pot into a .po: keep existing translations, add new entries untranslated,
drop entries that are gone, and report how many msgstr are still empty.

usage: i18n_merge.py TEMPLATE.pot LANG.po
"""

import sys

import polib


def merge(pot_path, po_path):
    pot = polib.pofile(pot_path)
    try:
        old = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(po_path)}
    except OSError:
        old = {}
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": "zh_CN",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    for entry in pot:
        entry.msgstr = old.get((entry.msgctxt, entry.msgid), "")
        po.append(entry)
    po.save(po_path)
    return [e.msgid for e in po if not e.msgstr]


if __name__ == "__main__":
    missing = merge(sys.argv[1], sys.argv[2])
    print(f"{sys.argv[2]}: {len(missing)} untranslated")
    for msgid in missing:
        print("  -", msgid[:100].replace("\n", " "))
