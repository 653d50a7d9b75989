"""People and their links to a child: young people, family, trusted adults and practitioners."""
