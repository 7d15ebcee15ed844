"""Every app's English catalogue is complete and compiled (source strings are Latvian)."""

from __future__ import annotations

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
