"""Typeset the demo ebooks as real multi-page PDFs with reportlab.

A title page, then one chapter per page or more, with running footers. The PDF is
built with reportlab's `invariant` flag, so the same content always gives the same bytes.
"""

from dataclasses import dataclass
from functools import cache
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, Preformatted, SimpleDocTemplate, Spacer

from .content import Chapter
from .fonts import BOLD, MONO, REGULAR, find_font

MARGIN = 18 * mm


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    mono: str


@cache
def _fonts() -> _Fonts:
    """DejaVu when installed (it has Vietnamese glyphs), else the PDF base-14 fonts."""
    paths = {name: find_font(name) for name in (REGULAR, BOLD, MONO)}
    if not all(paths.values()):
        return _Fonts("Helvetica", "Helvetica-Bold", "Courier")
    for filename, path in paths.items():
        pdfmetrics.registerFont(TTFont(filename.removesuffix(".ttf"), str(path)))
    return _Fonts(*(name.removesuffix(".ttf") for name in (REGULAR, BOLD, MONO)))


def _styles(fonts: _Fonts) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=15, spaceAfter=8)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=fonts.bold, fontSize=26, leading=32),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=13, leading=18, textColor=colors.HexColor("#444444")
        ),
        "author": ParagraphStyle("author", parent=body, fontName=fonts.bold, fontSize=12),
        "chapter": ParagraphStyle(
            "chapter", parent=body, fontName=fonts.bold, fontSize=17, leading=22, spaceAfter=14
        ),
        "code": ParagraphStyle(
            "code",
            parent=body,
            fontName=fonts.mono,
            fontSize=8.5,
            leading=12,
            backColor=colors.HexColor("#f2f2f2"),
            borderPadding=6,
            spaceBefore=4,
            spaceAfter=12,
        ),
    }


def render_ebook(title: str, subtitle: str, author: str, chapters: tuple[Chapter, ...]) -> RenderedPdf:
    fonts = _fonts()
    styles = _styles(fonts)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A5,
        title=title,
        author=author,
        creator="Lectern",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        invariant=True,
    )
    story = [
        Spacer(1, 50 * mm),
        Paragraph(title, styles["title"]),
        Paragraph(subtitle, styles["subtitle"]),
        Spacer(1, 20 * mm),
        Paragraph(author, styles["author"]),
        Paragraph("Published by Lectern", styles["body"]),
    ]
    for number, chapter in enumerate(chapters, start=1):
        story += [PageBreak(), Paragraph(f"{number}. {chapter.heading}", styles["chapter"])]
        story += [Paragraph(text, styles["body"]) for text in chapter.paragraphs]
        if chapter.code:
            story.append(Preformatted(chapter.code, styles["code"]))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(fonts.regular, 8)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(MARGIN, 10 * mm, title)
        canvas.drawRightString(A5[0] - MARGIN, 10 * mm, str(document.page))
        canvas.restoreState()

    doc.build(story, onLaterPages=footer)
    return RenderedPdf(data=buffer.getvalue(), page_count=doc.page)
