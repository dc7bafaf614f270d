"""Reporting and tracking by text message: the provider's webhook and the dialog (keywords,
choosing a service, where, the questions, photos by MMS, STATUS, follow, STOP), EN and ES. The
phones, messages and the provider seam are the core's (civic311/messaging).

Interface: parses input, calls the core, renders output; its views never write a model (its own
few records go through its own actions module). May import the core, lib and
`civic311.choices`; never another interface.
"""
