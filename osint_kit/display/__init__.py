"""osint_kit.display"""
