"""The practitioner JSON API (/api/v1): personal access tokens and the token door."""
