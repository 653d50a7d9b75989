"""Context conferences (issue 12 part 6): seeds 000 and 004."""
