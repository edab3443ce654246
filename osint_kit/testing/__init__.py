"""Generators of test material with known truth, for tests, benchmarks and workshops.

- :mod:`osint_kit.testing.images`: small images whose metadata is known exactly
  (``make_image``, ``gps_tags``, ``xmp_packet``, ``build_exif``, ...).
- :mod:`osint_kit.testing.image_sets`: image sets with known truth for forensics, hashing and
  near-duplicate checks (``structured_image``, ``make_duplicate_set``, ...).
- :mod:`osint_kit.testing.hostile`: a deterministic generator of hostile image files.
- :mod:`osint_kit.testing.hostile_text`: hostile pages, Timesketch files and CSV cells.

Not part of the analysis API (``ok.*``): import the submodule you need.
"""
