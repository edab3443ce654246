"""Hashes and near-duplicates: the same picture or clip, re-encoded, resized or trimmed."""
