"""The case: evidence intake with hashes, a tamper-evident custody log, an embedded store,
exchange as a checked zip, and a self-contained report.

``from osint_kit.case import Case`` - see docs/case.md.
"""

from __future__ import annotations

from osint_kit.case.case import Case
from osint_kit.case.custody import CustodyHead, Problem, VerifyReport
from osint_kit.case.evidence import EvidenceItem
from osint_kit.case.exchange import Limits

__all__ = ["Case", "CustodyHead", "EvidenceItem", "Limits", "Problem", "VerifyReport"]
