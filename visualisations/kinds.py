"""The kinds of view and the formats they render to (imported without the rendering machinery)."""

from __future__ import annotations

from enum import StrEnum


class ViewKind(StrEnum):
    """The views there are."""

    NEIGHBOURHOOD = "neighbourhood"
    NARRATIVE = "narrative"
    PATH = "path"
    COUNTRY = "country"
    TIMELINE = "timeline"


class ViewFormat(StrEnum):
    HTML = "html"
    SVG = "svg"
    PNG = "png"


MEDIA_TYPES = {
    ViewFormat.HTML: "text/html; charset=utf-8",
    ViewFormat.SVG: "image/svg+xml",
    ViewFormat.PNG: "image/png",
}
