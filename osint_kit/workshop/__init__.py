"""osint_kit.workshop"""
