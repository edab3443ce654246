"""Findings: what in a file suggests editing, re-encoding or a false date, each explained."""
