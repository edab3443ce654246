"""osint_kit.images"""
