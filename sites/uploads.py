"""Uploaded files (a receipt, an evidence photo) recognised by their content, not by their name.

A name or a browser-sent content type can say anything; the first bytes of the file cannot lie about
its format. Both must agree, though: an HTML page that merely starts with "%PDF-" and is named .html
would otherwise be served back as HTML (a script on our origin), so the name is checked too and the
file is always served with the type its content shows. In the bottom app so every app's uploads
(projects' receipts, members' service photos) pass the same checks and live in the same private storage.
"""

from collections import namedtuple
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse

Format = namedtuple("Format", "name content_type extensions")

# Magic numbers of the formats we accept, with how to name them to a person, serve them and file them.
PDF = Format("PDF", "application/pdf", (".pdf",))
JPEG = Format("JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = Format("PNG", "image/png", (".png",))
SIGNATURES = {b"%PDF-": PDF, b"\xff\xd8\xff": JPEG, b"\x89PNG\r\n\x1a\n": PNG}


def sniff(file):
    """The Format named by the file's first bytes, or None; the read position is left where it was."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(position)
    return next((name for magic, name in SIGNATURES.items() if head.startswith(magic)), None)


def check_upload(file, *, label, formats, max_bytes, hint):
    """Refuse `file` unless it is one of `formats` by content and by name and at most `max_bytes`.

    `label` names the file to the person (票据, 照片); `hint` says what to do when it is too big.
    """
    if file.size > max_bytes:
        raise ValidationError(
            "%(label)s文件不能超过 %(limit)d MB（当前约 %(mb).1f MB），%(hint)s。",
            code="too_big",
            params={
                "label": label,
                "limit": max_bytes // (1024 * 1024),
                "mb": file.size / 1024 / 1024,
                "hint": hint,
            },
        )
    found = sniff(file)
    if found not in formats:
        raise ValidationError(
            "%(label)s只能是 %(names)s 文件，此文件的内容不是这几种格式。",
            code="wrong_type",
            params={"label": label, "names": _names(formats)},
        )
    if PurePath(file.name).suffix.lower() not in found.extensions:
        raise ValidationError(
            "%(label)s文件名的扩展名应与内容相符：此文件是 %(format)s，请以 %(extension)s 结尾。",
            code="wrong_name",
            params={"label": label, "format": found.name, "extension": found.extensions[0]},
        )
    return found


def check_each(files, validate, *, field):
    """Run `validate` on every file of a multi-file upload; a refusal names which file (第 2 张照片（a.png）)
    under `field`, so the person knows which one to replace."""
    for n, file in enumerate(files, 1):
        try:
            validate(file)
        except ValidationError as error:
            label = f"第 {n} 张照片（{file.name}）" if len(files) > 1 else "照片"
            raise ValidationError({field: [f"{label}：{m}" for m in error.messages]}) from None


def _names(formats):
    names = [f.name.replace("JPEG", "JPG") for f in formats]
    return "、".join(names[:-1]) + " 或 " + names[-1] if len(names) > 1 else names[0]


def private_file_response(field_file):
    """A private file served with the type its content shows, never one guessed from the stored name,
    and sandboxed all the same; the caller has already decided the viewer may see it."""
    file = field_file.open("rb")
    found = sniff(file)
    response = FileResponse(
        file,
        filename=field_file.name.rsplit("/", 1)[-1],
        content_type=found.content_type if found else "application/octet-stream",
        as_attachment=found is None,
    )
    response["Content-Security-Policy"] = "sandbox"
    return response
