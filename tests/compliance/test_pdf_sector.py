"""The self-assessment PDF names the subject's sector, not its slug."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation


def test_pdf_shows_sector_name():
    with translation.override("lv"):
        html = render_to_string(
            "compliance/pdf.html", {"s": {"organisation": {"name": "AS Banka", "sector": "banking"}}}
        )
    assert "Banku darbība" in html and ">banking<" not in html
