"""Developer tool for the English catalogues (source strings are Latvian).

    python scripts/i18n.py extract APP          # refresh src/kiber/APP/locale/en/LC_MESSAGES/django.po
    python scripts/i18n.py fill APP FILE.json   # set translations from {"Latvian msgid": "English"}
    python scripts/i18n.py compile APP          # write django.mo next to django.po
    python scripts/i18n.py missing APP          # list msgids without an English translation
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "src" / "kiber"


def po_path(app: str) -> Path:
    return APPS / app / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main(argv: list[str]) -> int:
    command, app = argv[0], argv[1]
    path = po_path(app)
    if command == "extract":
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kiber.settings"}
        django_admin = Path(sys.executable).parent / "django-admin"
        subprocess.run([django_admin, "makemessages", "-l", "en", "--no-location", "--no-obsolete"],
                       cwd=APPS / app, env=env, check=True)
        return 0
    po = polib.pofile(str(path))
    if command == "fill":
        translations = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        for entry in po:
            if entry.msgid in translations:
                value = translations[entry.msgid]
                if entry.msgid_plural:
                    forms = value if isinstance(value, list) else [value, value]
                    entry.msgstr_plural = {0: forms[0], 1: forms[1]}
                else:
                    entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        po.save()
        command = "compile"
    if command == "compile":
        po.save_as_mofile(str(path.with_suffix(".mo")))
        return 0
    if command == "missing":
        missing = [e.msgid for e in po if not e.translated()]
        print(json.dumps(missing, ensure_ascii=False, indent=1))
        return 1 if missing else 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
