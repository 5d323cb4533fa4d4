"""HTTP APIs of the clubs app: thin views over clubs.selectors and clubs.services."""
