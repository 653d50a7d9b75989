"""MACE: referrals to the operational Missing and Child Exploitation panel, its meeting dates and outcomes."""
