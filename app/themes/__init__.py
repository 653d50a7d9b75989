"""Strategic themes: anonymised counts over a period for the MACS and the Youth ASB forum."""
