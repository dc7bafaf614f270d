"""Neutral helpers at the bottom of the layers: rate limits and the client's address, the
Open311 wire formats (JSON, XML) and the wrapper every API call shares, the CSV writer,
parameters, dates, errors and the clock.

May import: Django and third-party packages, `civic311.choices`. Never a civic311 app (the
core and the interfaces stand on this, not the other way round; `make lint` checks it).
"""
