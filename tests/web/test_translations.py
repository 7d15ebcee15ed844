"""Every app's English catalogue is complete and compiled (source strings are Latvian).

Complete means: every string the source marks for translation (Python gettext calls, template
``translate``/``blocktranslate``) is in a catalogue — an app's strings in that app's own catalogue (what
``scripts/i18n.py extract APP`` writes), strings of code without a catalogue (``kiber/versioning.py``,
``audit``) in one of the catalogues. The strings are extracted the way ``makemessages`` does, from a copy of
the source, so the catalogues in the tree are not touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

APPS = Path(__file__).resolve().parents[2] / "src" / "kiber"
CATALOGUES = sorted(APPS.glob("*/locale/en/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_translated_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po if not e.translated()] == []
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {e.msgid: e.msgstr for e in mo}
    assert {e.msgid: e.msgstr for e in po if not e.msgid_plural} == {
        k: v for k, v in compiled.items() if k and k in {e.msgid for e in po}
    }


def _source_strings(tmp_path: Path) -> polib.POFile:
    """Every translatable string of ``src/kiber`` with the files it occurs in (paths relative to src/kiber)."""
    assert shutil.which("xgettext"), "GNU gettext (xgettext) is needed to extract the source strings"
    copy = tmp_path / "kiber"
    shutil.copytree(APPS, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static", "migrations"))
    (copy / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kiber.settings", "PYTHONPATH": str(APPS.parent)}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))


def test_catalogues_hold_every_source_string(tmp_path):
    catalogues = {path.parts[-5]: {(e.msgctxt, e.msgid) for e in polib.pofile(str(path))} for path in CATALOGUES}
    anywhere = set().union(*catalogues.values())
    missing = []
    for entry in _source_strings(tmp_path):
        key = (entry.msgctxt, entry.msgid)
        for file, _line in entry.occurrences:
            app = Path(file).parts[0]
            held = key in catalogues[app] if app in catalogues else key in anywhere
            if not held:
                missing.append(f"{file}: {entry.msgid!r}")
    assert sorted(set(missing)) == [], (
        "strings not in the English catalogue; run `python scripts/i18n.py extract APP`, translate "
        "(`fill`) and `compile`"
    )
