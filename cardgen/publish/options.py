"""The publishing options a user gives (`--for`, `--format`, `--scale`, `--quality`, `--alt`) →
`Publish`, a value every stage that publishes reads, and its part of a deck's fingerprint.

Light on purpose: it is read on the "nothing changed" path of `render` (`run.batch`), which
loads no image library, no pydantic and no text engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardgen.output.formats import parse_format


@dataclass(frozen=True)
class Publish:
    """The options a user gives for publishing (all optional)."""

    platform: str | None = None  # --for; the deck's own `platform:` when None
    fmt: str | None = None  # --format; the platform's format, else png
    scale: int = 1  # --scale
    quality: int | None = None  # --quality: JPEG's (90 when None); WebP is lossless unless given
    alt: bool = False  # --alt: alt.txt for any platform (Instagram and LinkedIn always get it)

    def __post_init__(self) -> None:
        # Any case, and "jpg" for "jpeg": library callers write them as the command line does,
        # and one format is one fingerprint.
        if self.fmt is not None:
            object.__setattr__(self, "fmt", parse_format(self.fmt))
        if self.platform is not None:
            object.__setattr__(self, "platform", self.platform.strip().lower())

    def fingerprint(self) -> dict[str, object]:
        alt = {"alt": True} if self.alt else {}  # only when asked: older manifests stay current
        return {"for": self.platform, "format": self.fmt, "scale": self.scale, "quality": self.quality, **alt}
