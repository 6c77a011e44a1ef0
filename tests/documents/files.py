"""Documents with known bytes, for tests that check exactly what a download returns."""

from ..factories import DocumentFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\n% Lectern test book\n%%EOF\n"


def make_document(filename="field-guide.pdf", data=PDF_BYTES, **fields):
    """A document whose size and hash are set, as Wagtail's upload form sets them."""
    document = DocumentFactory(file__filename=filename, file__data=data, **fields)
    document._set_document_file_metadata()
    document.save()
    return document
