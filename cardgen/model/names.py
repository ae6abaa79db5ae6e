"""The names users may write for the closed choices several stages share (pure constants).

The project config (`load.config`) validates `format` and `for` before any deck is read, the
encoders (`output.formats`) and the platform profiles (`publish.platforms`) are keyed by the same
names: one list each, here, at the bottom of the import order, so reading the config file needs
neither the encoders nor the profiles. `tests/unit/test_platforms.py` checks the profiles match.
"""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("png", "jpeg", "webp", "pdf")
PLATFORMS: tuple[str, ...] = ("telegram", "vk", "instagram", "linkedin")
