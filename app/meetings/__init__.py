"""Safer Me and Safer Me Plus meetings: scheduled, run item by item with the young person, agreed."""
