"""The PDF, read back as a reader and a phone would: its text, its page and its QR code."""

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.tasks import ensure_pdf

pytestmark = pytest.mark.django_db


def _pdf_bytes(certificate: Certificate) -> bytes:
    certificate = ensure_pdf(Certificate.objects.get(pk=certificate.pk))
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_pdf_is_one_landscape_a4_page_with_name_course_instructor_and_number(certificate):
    reader = PdfReader(BytesIO(_pdf_bytes(certificate)))
    (page,) = reader.pages
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)
    text = page.extract_text()
    for expected in (
        "Giang Gold",
        "Practical Django",
        "Ines Instructor",
        certificate.number,
        "Certificate of Completion",
    ):
        assert expected in text


def test_vietnamese_names_survive_in_the_pdf_text(gold, gold_course, complete_course):
    gold.full_name = "Nguyễn Thị Lan Anh"
    gold.save()
    complete_course(gold, gold_course)
    certificate = Certificate.objects.get(user=gold)
    text = PdfReader(BytesIO(_pdf_bytes(certificate))).pages[0].extract_text()
    assert "Nguyễn Thị Lan Anh" in text


def test_qr_code_decodes_to_the_absolute_verification_url(certificate, tmp_path: Path, settings):
    pdf_path = tmp_path / "certificate.pdf"
    pdf_path.write_bytes(_pdf_bytes(certificate))
    subprocess.run(
        [
            shutil.which("pdftoppm") or "/usr/bin/pdftoppm",
            "-png",
            "-r",
            "150",
            "-singlefile",
            str(pdf_path),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    barcodes = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [barcode.text for barcode in barcodes] == [
        f"{settings.CERTIFICATE_BASE_URL}/certificates/verify/{certificate.number}/"
    ]
    assert barcodes[0].format == zxingcpp.BarcodeFormat.QRCode


def test_the_pdf_is_stored_in_private_storage_not_in_public_media(certificate, settings):
    stored = Certificate.objects.get(pk=certificate.pk).pdf
    path = Path(stored.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
