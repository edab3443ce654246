"""Moved to :mod:`osint_kit.media` (read, scan, similar, forensics); see :mod:`osint_kit._moved`.

``import osint_kit.images.metadata`` still works for one release, with a DeprecationWarning.
"""
