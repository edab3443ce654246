"""osint_kit.sources"""
