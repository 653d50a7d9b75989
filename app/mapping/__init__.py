"""Mapping meetings for a peer group or location: members or users, and the context weighting."""
