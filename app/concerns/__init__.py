"""Concerns outside the family home, the Safer Me Assessment and routing by the flowchart (seed 002)."""
