"""A page on paper: the print button, the safe-word choice, and what Chromium prints on A4.

Chromium prints the page with print styles (`page.emulate_media(media="print")` for what the
reader would see, `page.pdf()` for the paper itself). PDFs, and PNGs of each page when poppler's
pdftoppm is installed, go to e2e/screenshots/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from playwright.sync_api import Locator, Page, ViewportSize

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# A4 at 96 CSS px an inch, the width a browser lays a printed page out at (before margins).
A4: ViewportSize = {"width": 794, "height": 1123}


class Printout:
    """The plan page of a practitioner or a family member, about to be printed."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def print_button(self) -> Locator:
        return self.page.get_by_role("button", name=re.compile(r"^Print( this plan)?$"))

    @property
    def safe_word_choice(self) -> Locator:
        return self.page.get_by_role("checkbox", name=re.compile(r"safe word", re.IGNORECASE))

    def choose_to_print_the_safe_word(self) -> None:
        self.safe_word_choice.check()

    def look_at_paper(self) -> None:
        """See the page as it prints: A4 width, print styles."""
        self.page.set_viewport_size(A4)
        self.page.emulate_media(media="print")

    def back_to_screen(self, viewport: ViewportSize) -> None:
        self.page.emulate_media(media="screen")
        self.page.set_viewport_size(viewport)

    def printed_words(self) -> str:
        """The words the paper shows (what is laid out, with print styles applied)."""
        return self.page.locator("body").inner_text()

    def shown(self, selector: str) -> int:
        """How many elements matching `selector` the paper shows."""
        return self.page.locator(f"{selector} >> visible=true").count()

    def save_pdf(self, name: str) -> Path:
        """Print to an A4 PDF in e2e/screenshots/, and PNGs of its pages if pdftoppm is installed."""
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.pdf"
        self.page.pdf(path=str(path), format="A4", print_background=True)
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm:
            for old in SCREENSHOTS.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run([pdftoppm, "-r", "60", "-png", str(path), str(SCREENSHOTS / name)], check=True)
        return path


def page_count(pdf: Path) -> int:
    """The number of pages in a PDF Chromium wrote (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def pdf_text(pdf: Path) -> str | None:
    """The PDF's words, if poppler's pdftotext is installed (else None: the checks use the page)."""
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        return None
    done = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return done.stdout
