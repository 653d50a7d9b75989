"""Helpers shared by the tests: database setup, CSRF-aware clients, signing people in."""
