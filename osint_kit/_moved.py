"""Old module paths that moved, kept working for one release.

``osint_kit.images.*`` is now :mod:`osint_kit.media` (by stage), :mod:`osint_kit.runner` and
:mod:`osint_kit.testing`; the capture modules of ``osint_kit.sources`` are now
:mod:`osint_kit.sources.capture`. Importing an old path warns (``DeprecationWarning``, naming
the new path) and gives the new module itself, so every name (public or not) is there and
there is one copy of each module. :data:`MOVED` is the map (the README's developer section
lists it too); the aliases go in the next release.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from types import ModuleType

#: old module path -> the module now
MOVED: dict[str, str] = {
    "osint_kit.images.metadata": "osint_kit.media.read.metadata",
    "osint_kit.images._exif": "osint_kit.media.read._exif",
    "osint_kit.images._iptc": "osint_kit.media.read._iptc",
    "osint_kit.images._xmp": "osint_kit.media.read._xmp",
    "osint_kit.images._jpeg": "osint_kit.media.read._jpeg",
    "osint_kit.images._normalise": "osint_kit.media.read._normalise",
    "osint_kit.images._pillow": "osint_kit.media.read._pillow",
    "osint_kit.images.schema": "osint_kit.media.read.schema",
    "osint_kit.images._metadata_html": "osint_kit.media.read._html",
    "osint_kit.images.capture_dates": "osint_kit.media.forensics.capture_dates",
    "osint_kit.images.scan": "osint_kit.media.scan",
    "osint_kit.images.hashes": "osint_kit.media.similar.hashes",
    "osint_kit.images.duplicates": "osint_kit.media.similar.duplicates",
    "osint_kit.images.findings": "osint_kit.media.forensics.inspect",
    "osint_kit.images.quality": "osint_kit.media.forensics.quality",
    "osint_kit.images.thumbnail": "osint_kit.media.forensics.thumbnail",
    "osint_kit.images.c2pa": "osint_kit.media.forensics.c2pa",
    "osint_kit.images.daylight": "osint_kit.media.forensics.daylight",
    "osint_kit.images.views": "osint_kit.media.forensics.views",
    "osint_kit.images.engine": "osint_kit.runner.engine",
    "osint_kit.images.synth": "osint_kit.testing.images",
    "osint_kit.sources.ingest": "osint_kit.sources.capture.ingest",
    "osint_kit.sources.boilerplate": "osint_kit.sources.capture.boilerplate",
    "osint_kit.sources.captions": "osint_kit.sources.capture.captions",
    "osint_kit.sources.datefind": "osint_kit.sources.capture.datefind",
    "osint_kit.sources.quotes": "osint_kit.sources.capture.quotes",
    "osint_kit.sources.archives": "osint_kit.sources.capture.archives",
    "osint_kit.sources.reuse_corpus": "osint_kit.testing.reuse_corpus",
}


class _MovedLoader(importlib.abc.Loader):
    """Gives the moved module itself for an old name, after a DeprecationWarning."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        self.spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        warnings.warn(
            f"{self.old} moved to {self.new}; import it from there "
            "(the old path goes in the next release)",
            DeprecationWarning,
            stacklevel=2,  # the import machinery's frames are skipped: this is the importer
        )
        module = importlib.import_module(self.new)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        module.__spec__ = self.spec  # the import system set the old name's spec: put it back
        sys.modules[self.old] = module  # the new module, already executed


class _MovedFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _MovedLoader(fullname, new))


def install() -> None:
    """Put the finder of old paths first on ``sys.meta_path`` (once; ``import osint_kit`` does)."""
    if not any(isinstance(f, _MovedFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _MovedFinder())

