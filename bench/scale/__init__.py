"""`make bench-scale`: Safer Plan at council scale (issue 13); see __main__.py."""
