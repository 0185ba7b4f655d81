"""Receipt files (票据): a PDF or a photo of the paper, checked by sites.uploads like every upload."""

from sites.private_storage import private_storage
from sites.uploads import JPEG, PDF, PNG, check_upload, sniff

MAX_RECEIPT_BYTES = 5 * 1024 * 1024

__all__ = ["MAX_RECEIPT_BYTES", "private_storage", "sniff", "validate_receipt"]


def validate_receipt(file):
    check_upload(
        file,
        label="票据",
        formats=(PDF, JPEG, PNG),
        max_bytes=MAX_RECEIPT_BYTES,
        hint="请压缩或分页扫描后再上传",
    )
