"""The PDF of a submitted self-assessment shows every answer in full (issue 4, exports), laid out within the page."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kiber.compliance import services
from kiber.compliance.exports import pdf_context
from tests.compliance.conftest import class_a_system
from tests.compliance.test_services import answer_everything


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _layout(snapshot: dict, digest: str) -> tuple[list[str], list[tuple[float, float, float]]]:
    """The laid-out lines of the PDF (text of each line box) and (line right edge, page content right edge, x)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    with translation.override("lv"):
        html = render_to_string("compliance/pdf.html", pdf_context(snapshot, digest))
    document = HTML(string=html).render()
    lines: list[str] = []
    edges: list[tuple[float, float, float]] = []
    for page in document.pages:
        root = page._page_box
        right = root.content_box_x() + root.width
        for box in root.descendants():
            if isinstance(box, boxes.LineBox):
                text = "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox))
                lines.append(text)
                for child in box.descendants():
                    if isinstance(child, boxes.TextBox):
                        edges.append((child.position_x + child.width, right, child.position_x))
    return lines, edges


@pytest.mark.django_db
def test_pdf_renders_every_requirement_text_in_full_and_wraps_it(catalogue, organisation, subject_admin):
    organisation.is_ci_owner = True  # CI owners answer the longest items (chapter 5, e.g. p. 108)
    organisation.save()
    class_a_system(organisation)
    assessment = services.start_assessment(subject_admin, organisation)
    answer_everything(subject_admin, assessment)
    version = services.submit_assessment(subject_admin, assessment)
    items = version.snapshot["items"]
    longest = max(items, key=lambda item: len(item["text_lv"]))
    assert longest["requirement"] == "22-TA-3183:108" and len(longest["text_lv"]) > 1000

    lines, edges = _layout(version.snapshot, version.sha256)
    laid_out = _words(" ".join(lines))
    missing = [item["key"] for item in items if _words(item["text_lv"]) not in laid_out]
    assert missing == []
    assert "…" not in laid_out
    # Long texts wrap: no text runs past the right edge of the page's content box.
    overflowing = [edge for edge in edges if edge[0] > edge[1] + 0.5]
    assert overflowing == []
