"""The Safer Plan itself: versions, sections and the statements in each."""
