"""Receipt files (票据): a PDF or a photo of the paper, recognised by its content, not by its name.

A name or a browser-sent content type can say anything; the first bytes of the file cannot lie about
its format. Both must agree, though: an HTML page that merely starts with "%PDF-" and is named .html
would otherwise be served back as HTML (a script on our origin), so the name is checked too and the
file is always served with the type its content shows.
"""

from collections import namedtuple
from pathlib import PurePath

from django.core.exceptions import ValidationError

from sites.private_storage import private

MAX_RECEIPT_BYTES = 5 * 1024 * 1024

Format = namedtuple("Format", "name content_type extensions")

# Magic numbers of the formats we accept, with how to name them to a person, serve them and file them.
SIGNATURES = {
    b"%PDF-": Format("PDF", "application/pdf", (".pdf",)),
    b"\xff\xd8\xff": Format("JPEG", "image/jpeg", (".jpg", ".jpeg")),
    b"\x89PNG\r\n\x1a\n": Format("PNG", "image/png", (".png",)),
}


def private_storage():
    """Where receipts are kept: STORAGES["private"], outside the publicly served media (settings)."""
    return private


def sniff(file):
    """The Format named by the file's first bytes, or None; the read position is left where it was."""
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
    found = sniff(file)
    if found is None:
        raise ValidationError(
            "票据只能是 PDF、JPG 或 PNG 文件，此文件的内容不是这几种格式。", code="wrong_type"
        )
    if PurePath(file.name).suffix.lower() not in found.extensions:
        raise ValidationError(
            "票据文件名的扩展名应与内容相符：此文件是 %(format)s，请以 %(extension)s 结尾。",
            code="wrong_name",
            params={"format": found.name, "extension": found.extensions[0]},
        )
