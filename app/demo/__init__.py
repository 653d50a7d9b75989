"""Fictional demo data, so a newcomer sees a real plan; loaded only in development."""
