"""osint_kit.geo"""
