"""Something significant happened: incidents on a child's case, and bringing the review forward."""
