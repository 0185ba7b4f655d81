"""Slots on the public area page that a higher app fills (DESIGN.md §2: sites never imports them).

An app registers a function from its AppConfig.ready(): given the area, it returns the HTML of its panel
(already escaped: rendered from a template), shown under the sites' own figures in registration order.
The app declares what the panel reads with page_cache.depends_on("sites:area-detail", …).
"""

_panels = []


def register(panel):
    if panel not in _panels:
        _panels.append(panel)


def render_panels(area):
    return [panel(area) for panel in _panels]
