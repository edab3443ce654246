"""osint_kit.timeline"""
