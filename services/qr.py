"""QR codes the pages show (an activity's or a room's check-in, a calendar address): SVG drawn on the
server with segno, so they work offline and print sharply; no script, no image service."""

import segno
from django.urls import reverse
from django.utils.safestring import mark_safe


def qr_svg(url, *, title, scale=6):
    """An inline <svg> of `url`. segno escapes the text it draws, so the SVG is safe in the page as is."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, border=2, title=title))


def absolute_qr(request, viewname, args, *, title, scale=6):
    """(the absolute URL of `viewname`, its QR code): what a phone's camera opens."""
    url = request.build_absolute_uri(reverse(viewname, args=args))
    return url, qr_svg(url, title=title, scale=scale)
