"""Moved to :mod:`osint_kit.testing.images`; this name stays for one release.

Importing it warns (``DeprecationWarning``) and forwards every name to the new module.
"""

from __future__ import annotations

import warnings
from typing import Any

from osint_kit.testing import images as _images

warnings.warn(
    "osint_kit.images.synth moved to osint_kit.testing.images; import make_image and the other "
    "generators from there (this alias goes in the next release)",
    DeprecationWarning,
    stacklevel=2,
)


def __getattr__(name: str) -> Any:
    return getattr(_images, name)


def __dir__() -> list[str]:
    return dir(_images)
