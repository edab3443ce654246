"""Captures: pages, pasted text, web archives and channel exports into :class:`Capture` records.

- :mod:`~osint_kit.sources.capture.ingest`: plain text and saved HTML (offline, isolated worker).
- :mod:`~osint_kit.sources.capture.archives`: WARC/WACZ web archives, Telegram and yt-dlp exports.
- :mod:`~osint_kit.sources.capture.records`: the records a capture is made of (lines,
  captions, quotations, date mentions); :mod:`~osint_kit.sources.capture.boilerplate`,
  :mod:`~osint_kit.sources.capture.captions`, :mod:`~osint_kit.sources.capture.quotes` and
  :mod:`~osint_kit.sources.capture.datefind` are the ingest's steps.

The analysis of what captures say (claims, matrix, independence, assessment) is in
:mod:`osint_kit.sources`.
"""

from osint_kit.sources.capture.records import Caption, Capture, DateMention, Line, Quotation

__all__ = ["Caption", "Capture", "DateMention", "Line", "Quotation"]
