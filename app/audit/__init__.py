"""The record of who read, changed or was refused what, and when."""
