"""osint_kit.case"""
