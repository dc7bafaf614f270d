"""The resident's pages: home, report a problem (map, photos, answers, the duplicate offer),
track a request, follow it, browse requests by list, map and area, Atom feeds. EN and ES.

Interface: parses input, calls the core, renders output; its views never write a model (its own
few records go through its own actions module). May import the core, lib and
`civic311.choices`; never another interface.
"""
