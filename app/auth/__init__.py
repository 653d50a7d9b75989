"""Signing in: passkeys for the family side, password plus passkey for practitioners."""
