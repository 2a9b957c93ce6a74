"""Dates: calendar arithmetic and the finder that turns date words into Periods."""
