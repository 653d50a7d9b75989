"""The contexts map: peer groups, places and persons of concern, linked to the children they touch."""
