"""The staff console: the department work queue, the request page and its actions, the
call-center desk, the ward office view and its CSV, saved views, login with lockout, the daily
SLA digest. EN and ES.

Interface: parses input, calls the core, renders output; its views never write a model (its own
few records go through its own actions module). May import the core, lib and
`civic311.choices`; never another interface.
"""
