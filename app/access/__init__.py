"""Who may reach which child, and which parts of their plan (deny by default)."""
