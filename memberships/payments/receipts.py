"""The receipt of a paid order as a PDF (A4, reportlab).

Who sold (the seller's details from the site settings), who bought (and the company
invoice details when the buyer asked for them), what, for how much, how it was paid and
any refunds. Text is set in DejaVu Sans, embedded, so Vietnamese diacritics (Nguyễn,
khóa học, ₫) print as they are; the font comes from Debian's fonts-dejavu-core
(scripts/install-system-deps.sh installs it). Without it we refuse to render rather
than print a receipt with missing letters.
"""

from functools import cache
from io import BytesIO
from pathlib import Path

from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from wagtail.models import Site

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from home.models import SiteSettings

from ..models import Order
from ..money import format_money

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 56
INK = HexColor("#111a33")
MUTED = HexColor("#535d70")
RULE = HexColor("#c9d1e6")
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FACES = {"ReceiptSans": "DejaVuSans.ttf", "ReceiptSansBold": "DejaVuSans-Bold.ttf"}


class ReceiptFontMissing(RuntimeError):
    """DejaVu Sans is not installed: run scripts/install-system-deps.sh."""


@cache
def _register_fonts() -> None:
    for face, filename in FACES.items():
        path = next((p for d in FONT_DIRS if d.is_dir() for p in d.rglob(filename)), None)
        if path is None:
            raise ReceiptFontMissing(f"{filename} not found under {', '.join(map(str, FONT_DIRS))}")
        pdfmetrics.registerFont(TTFont(face, str(path)))


def filename(order: Order) -> str:
    return f"receipt-{order.reference}.pdf"


def render_receipt(order: Order) -> bytes:
    """The receipt as PDF bytes. Only for orders that were paid (`order.has_receipt`)."""
    _register_fonts()
    seller = SiteSettings.for_site(Site.objects.filter(is_default_site=True).first())
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Receipt %(reference)s") % {"reference": order.reference})
    canvas.setAuthor(seller.seller_name or "")
    _draw(canvas, order, seller)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Writer:
    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.y = PAGE_HEIGHT - MARGIN

    def line(self, text: str, *, size: float = 10, bold: bool = False, color=INK, gap: float = 4):
        font = "ReceiptSansBold" if bold else "ReceiptSans"
        self.canvas.setFillColor(color)
        self.canvas.setFont(font, size)
        for part in simpleSplit(text, font, size, PAGE_WIDTH - 2 * MARGIN) or [""]:
            self.y -= size + gap
            self.canvas.drawString(MARGIN, self.y, part)

    def row(self, label: str, value: str, *, bold: bool = False):
        font = "ReceiptSansBold" if bold else "ReceiptSans"
        self.y -= 16
        self.canvas.setFillColor(INK)
        self.canvas.setFont(font, 10)
        for i, part in enumerate(simpleSplit(label, font, 10, PAGE_WIDTH - 2 * MARGIN - 140)):
            self.canvas.drawString(MARGIN, self.y - 12 * i, part)
        self.canvas.drawRightString(PAGE_WIDTH - MARGIN, self.y, value)

    def rule(self):
        self.y -= 8
        self.canvas.setStrokeColor(RULE)
        self.canvas.line(MARGIN, self.y, PAGE_WIDTH - MARGIN, self.y)

    def space(self, points: float = 10):
        self.y -= points


def _draw(canvas: Canvas, order: Order, seller: SiteSettings) -> None:
    w = _Writer(canvas)
    money = lambda amount: format_money(amount, order.currency)  # noqa: E731
    w.line(seller.seller_name or "", size=14, bold=True)
    for text in (
        seller.seller_address,
        _("Tax code: %(code)s") % {"code": seller.seller_tax_code} if seller.seller_tax_code else "",
        seller.contact_email,
    ):
        if text:
            w.line(text, color=MUTED)
    w.space(18)
    w.line(_("Receipt"), size=20, bold=True)
    w.line(_("Order %(reference)s") % {"reference": order.reference}, size=11)
    w.line(_("Paid on %(date)s") % {"date": format_date(localtime(order.paid_at), "j/n/Y H:i")}, color=MUTED)
    w.space(10)
    w.line(_("Billed to"), bold=True)
    buyer = order.user.get_full_name() if order.user else ""
    for text in (buyer, order.email):
        if text:
            w.line(text)
    if order.wants_invoice:
        w.space(4)
        w.line(_("Company invoice requested"), bold=True)
        w.line(order.invoice_company)
        w.line(_("Tax code: %(code)s") % {"code": order.invoice_tax_code})
        if order.invoice_address:
            w.line(order.invoice_address)
    w.space(10)
    w.rule()
    for item in order.items.all():
        label = item.name
        if item.kind == "course":
            label = _("Course “%(name)s”, for life") % {"name": item.name}
        elif item.tier_id:
            label = _("%(tier)s membership, %(period)s") % {
                "tier": item.name,
                "period": item.tier.get_billing_period_display().lower(),
            }
        w.row(label, money(item.list_price))
    if order.discount:
        label = _("Coupon %(code)s") % {"code": order.coupon.code} if order.coupon else _("Discount")
        w.row(label, "− " + money(order.discount))
    w.rule()
    w.row(_("Total paid"), money(order.amount), bold=True)
    w.row(_("Paid by"), str(order.get_provider_display()))
    for refund in order.refunds.order_by("created_at"):
        w.row(
            _("Refunded on %(date)s") % {"date": format_date(localtime(refund.created_at), "j/n/Y")},
            "− " + money(refund.amount),
        )
    w.space(24)
    w.line(_("Thank you for learning with us."), color=MUTED)
