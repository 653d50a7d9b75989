"""What both front doors share: building a door, headers, deny-by-default, users, errors."""
