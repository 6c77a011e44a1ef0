"""The certificate as a PDF: landscape A4, drawn with reportlab.

One page: the issuer, the title, the learner's name, the course and its instructors,
the date, the number and a QR code (made by the `qrcode` library) that opens the public
verification page. Text is set in DejaVu (it covers Vietnamese) when the system has it,
else in reportlab's built-in faces. Long names and titles shrink, then wrap, then are
shortened with an ellipsis — never clipped by the frame.
"""

from functools import cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 64
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 40

INK = HexColor("#111a33")
MUTED = HexColor("#535d70")
PRIMARY = HexColor("#2b4acb")
RULE = HexColor("#c9d1e6")
GOLD = HexColor("#b08a2e")

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path("/Library/Fonts"))
# Our face name → (DejaVu file, built-in fallback)
FACES = {
    "CertSerifBold": ("DejaVuSerif-Bold.ttf", "Times-Bold"),
    "CertSerifItalic": ("DejaVuSerif-Italic.ttf", "Times-Italic"),
    "CertSans": ("DejaVuSans.ttf", "Helvetica"),
    "CertSansBold": ("DejaVuSans-Bold.ttf", "Helvetica-Bold"),
    "CertMono": ("DejaVuSansMono-Bold.ttf", "Courier-Bold"),
}


def _find_font(filename: str) -> Path | None:
    for directory in FONT_DIRS:
        if directory.is_dir():
            for path in directory.rglob(filename):
                return path
    return None


@cache
def _fonts() -> dict[str, str]:
    """Register the DejaVu faces once; map each face to the name the canvas should use."""
    names = {}
    for face, (filename, fallback) in FACES.items():
        path = _find_font(filename)
        if path:
            pdfmetrics.registerFont(TTFont(face, str(path)))
            names[face] = face
        else:
            names[face] = fallback
    return names


def _fit_lines(text: str, font: str, size: float, min_size: float, width: float, max_lines: int):
    """Largest size (down to min_size) at which `text` fits in `max_lines`; the last line
    is shortened with an ellipsis if even that is not enough."""
    while True:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines or size <= min_size:
            break
        size -= 1
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines, size


def _centered(canvas, text: str, y: float, font: str, size: float, color=INK, spacing: float = 0):
    canvas.setFillColor(color)
    if spacing:
        width = pdfmetrics.stringWidth(text, font, size) + spacing * (len(text) - 1)
        text_object = canvas.beginText((PAGE_WIDTH - width) / 2, y)
        text_object.setFont(font, size)
        text_object.setCharSpace(spacing)
        text_object.textOut(text)
        text_object.setCharSpace(0)  # character spacing is PDF text state: it would outlive this line
        canvas.drawText(text_object)
    else:
        canvas.setFont(font, size)
        canvas.drawCentredString(PAGE_WIDTH / 2, y, text)


def _label(canvas, text: str, x: float, y: float, font: str):
    text_object = canvas.beginText(x, y)
    text_object.setFont(font, 7.5)
    text_object.setCharSpace(1.2)
    text_object.setFillColor(MUTED)
    text_object.textOut(text.upper())
    text_object.setCharSpace(0)
    canvas.drawText(text_object)


def qr_image(url: str):
    """A QR code for `url` as a PIL image, with the quiet zone scanners need."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image()


def render_certificate_pdf(certificate) -> bytes:
    fonts = _fonts()
    serif_bold, serif_italic = fonts["CertSerifBold"], fonts["CertSerifItalic"]
    sans, sans_bold, mono = fonts["CertSans"], fonts["CertSansBold"], fonts["CertMono"]

    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    canvas.setTitle(f"Certificate {certificate.number}: {certificate.course_title}")
    canvas.setAuthor(settings.CERTIFICATE_ISSUER_NAME)
    canvas.setSubject(f"{certificate.learner_name} completed {certificate.course_title}")

    # Frame: a strong outer rule and a fine inner one.
    canvas.setStrokeColor(PRIMARY)
    canvas.setLineWidth(2.5)
    canvas.rect(24, 24, PAGE_WIDTH - 48, PAGE_HEIGHT - 48)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.75)
    canvas.rect(32, 32, PAGE_WIDTH - 64, PAGE_HEIGHT - 64)

    top = PAGE_HEIGHT - 86
    _centered(canvas, settings.CERTIFICATE_ISSUER_NAME.upper(), top, sans_bold, 11, PRIMARY, spacing=4)
    _centered(canvas, "Certificate of Completion", top - 48, serif_bold, 34)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.2)
    canvas.line(PAGE_WIDTH / 2 - 40, top - 66, PAGE_WIDTH / 2 + 40, top - 66)

    _centered(canvas, "This certifies that", top - 110, serif_italic, 13, MUTED)
    name_lines, name_size = _fit_lines(certificate.learner_name, serif_bold, 30, 16, TEXT_WIDTH, 1)
    _centered(canvas, name_lines[0], top - 156, serif_bold, name_size)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.75)
    canvas.line(PAGE_WIDTH / 2 - 220, top - 172, PAGE_WIDTH / 2 + 220, top - 172)

    _centered(canvas, "has successfully completed the course", top - 202, serif_italic, 13, MUTED)
    title_lines, title_size = _fit_lines(certificate.course_title, sans_bold, 20, 13, TEXT_WIDTH, 2)
    y = top - 238
    for line in title_lines:
        _centered(canvas, line, y, sans_bold, title_size, PRIMARY)
        y -= title_size * 1.3
    if certificate.instructors:
        taught_by = "Taught by " + ", ".join(certificate.instructors)
        taught_lines, taught_size = _fit_lines(taught_by, sans, 12, 9, TEXT_WIDTH, 1)
        _centered(canvas, taught_lines[0], y - 12, sans, taught_size, INK)

    # Bottom band: date and number on the left, the QR code on the right.
    qr_size = 104
    qr_x, qr_y = PAGE_WIDTH - MARGIN - qr_size + 8, 58
    canvas.drawImage(ImageReader(qr_image(certificate.verification_url)), qr_x, qr_y, qr_size, qr_size)
    canvas.setFont(sans, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawCentredString(qr_x + qr_size / 2, qr_y - 10, "Scan to verify")

    left = MARGIN + 8
    _label(canvas, "Date issued", left, 132, sans)
    canvas.setFont(sans_bold, 13)
    canvas.setFillColor(INK)
    canvas.drawString(left, 114, format_date(localtime(certificate.issued_at), "j F Y"))
    _label(canvas, "Certificate number", left + 200, 132, sans)
    canvas.setFont(mono, 13)
    canvas.setFillColor(INK)
    canvas.drawString(left + 200, 114, certificate.number)

    verify_text = f"Verify this certificate at {certificate.verification_url}"
    verify_width = qr_x - left - 24
    verify_lines, verify_size = _fit_lines(verify_text, sans, 8.5, 6.5, verify_width, 2)
    canvas.setFont(sans, verify_size)
    canvas.setFillColor(MUTED)
    line_y = 80
    for line in verify_lines:
        canvas.drawString(left, line_y, line)
        line_y -= verify_size * 1.4

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
