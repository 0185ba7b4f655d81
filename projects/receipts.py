"""Receipt files (票据): a PDF or a photo of the paper, recognised by its content, not by its name.

A name or a browser-sent content type can say anything; the first bytes of the file cannot lie about
its format, so a renamed executable or HTML page is refused whatever it is called.
"""

from django.core.exceptions import ValidationError
from django.core.files.storage import storages

MAX_RECEIPT_BYTES = 5 * 1024 * 1024

# Magic numbers of the formats we accept, and how to name them to a person.
SIGNATURES = {
    b"%PDF-": "PDF",
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
}


def private_storage():
    """Where receipts are kept: STORAGES["private"], outside the publicly served media (settings)."""
    return storages["private"]


def sniff(file):
    """The format named by the file's first bytes, or None; the read position is left where it was."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(position)
    return next((name for magic, name in SIGNATURES.items() if head.startswith(magic)), None)


def validate_receipt(file):
    if file.size > MAX_RECEIPT_BYTES:
        raise ValidationError(
            "票据文件不能超过 5 MB（当前约 %(mb).1f MB），请压缩或分页扫描后再上传。",
            code="too_big",
            params={"mb": file.size / 1024 / 1024},
        )
    if sniff(file) is None:
        raise ValidationError(
            "票据只能是 PDF、JPG 或 PNG 文件，此文件的内容不是这几种格式。", code="wrong_type"
        )
