"""DRF's browsable API (its HTML pages for people trying the API in a browser) under our CSP.

DRF's own templates put a <style> element (Pygments' colours) and style attributes (the filter and
extra-action buttons) on those pages. Rather than copying and tracking DRF's templates, those pages alone
may apply inline styles; scripts there stay as strict as everywhere, and JSON answers are untouched.
"""

from csp.constants import UNSAFE_INLINE
from rest_framework.renderers import BrowsableAPIRenderer


class CSPBrowsableAPIRenderer(BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src": [UNSAFE_INLINE]}  # read by django-csp's middleware
        return super().render(data, accepted_media_type, renderer_context)
