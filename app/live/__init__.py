"""Live updates: open pages learn that something changed, then fetch what their reader may see.

"Tell, then fetch" (SECURITY.md R31): an event carries a channel's version number and nothing of
the plan; each page asks for its own parts again through the usual views, so nothing passes the
access policy by the stream. Changes are noticed from the rows a transaction writes (changes.py),
counted in the database (models.py) so a page that reconnects can tell it missed something, and
fanned out after commit through Redis pub/sub when configured, or within the process (broker.py).
"""
