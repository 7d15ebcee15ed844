"""Independent reader of the 22-TA-3183 seed used by the catalogue tests.

The seed (a scrape of the TAP portal page of the draft) is vendored in ``data/22-TA-3183.seed.txt``;
``SHARED_SEED`` is the original in the shared workspace, compared when present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
SEED = DATA / "22-TA-3183.seed.txt"
SHARED_SEED = Path("/work/shared/seeds/004_3ee9206c181f96dc.txt")

_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.$")  # "53.", "53.1.", "77.1.1." on a line of their own
_SECTION = re.compile(r"^(\d+\.\d+)\.(\D.*)$")  # "3.7.Lietotāju un ..."
_CHAPTER = re.compile(r"^(\d+)\.(\D.*)$")  # "3.Pamatprasības subjektiem"


def norm(text: str) -> str:
    """The documented whitespace rule: collapse whitespace runs (incl. newlines, NBSP) and strip."""
    return " ".join(text.split())


@dataclass(frozen=True)
class SeedPoint:
    number: str
    chapter: int
    chapter_title: str
    section: str | None
    section_title: str | None
    text: str


@cache
def seed_points() -> dict[str, SeedPoint]:
    """All numbered points of the regulation body (chapters 1-9), keyed by number, in order."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = lines.index("1.Vispārīgie jautājumi")
    end = next(i for i, line in enumerate(lines) if line.startswith("Informatīva atsauce"))
    out: dict[str, SeedPoint] = {}
    chapter, chapter_title = 0, ""
    section: str | None = None
    section_title: str | None = None
    number: str | None = None
    buf: list[str] = []

    def flush() -> None:
        if number is not None:
            assert number not in out, f"duplicate point {number}"
            out[number] = SeedPoint(number, chapter, chapter_title, section, section_title, norm(" ".join(buf)))

    for line in lines[start:end]:
        stripped = line.strip()
        if m := _NUMBER.match(stripped):
            flush()
            number, buf = m[1], []
        elif m := _SECTION.match(stripped):
            flush()
            number, buf = None, []
            section, section_title = m[1], m[2]
        elif m := _CHAPTER.match(stripped):
            flush()
            number, buf = None, []
            chapter, chapter_title, section, section_title = int(m[1]), m[2], None, None
        else:
            buf.append(line)
    flush()
    return out


def points_in_chapters(*chapters: int) -> list[str]:
    return [n for n, p in seed_points().items() if p.chapter in chapters]
