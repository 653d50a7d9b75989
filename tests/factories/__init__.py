"""Small, explicit test data per domain, written through the service layer so it is valid the way
real data is. Each factory creates what it is asked for and returns the objects it created.

The names echo the demo (Jordan, Lisa, Sam) so a reader recognises the people, but nothing here
reads the demo: a test builds exactly the world it needs.
"""
