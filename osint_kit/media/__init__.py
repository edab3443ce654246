"""Photos and videos as evidence, package by stage of the work.

- :mod:`osint_kit.media.read`: formats and tag tables, the one guarded decoder opener, the one
  JPEG segment walker, the metadata records (:func:`read_metadata`).
- :mod:`osint_kit.media.scan`: folders into DataFrames and Parquet.
- :mod:`osint_kit.media.frames`: video keyframes as derived working copies.
- :mod:`osint_kit.media.similar`: cryptographic and perceptual hashes, near-duplicates.
- :mod:`osint_kit.media.forensics`: findings (model, rules, texts), inspect, quality,
  thumbnails, C2PA, daylight, ELA arrays.

Every function that decodes untrusted bytes runs in the isolated worker
(:func:`osint_kit.runner.isolated`).
"""
