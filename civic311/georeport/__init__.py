"""The Open311 GeoReport v2 API: discovery, services and their definitions, requests (GET and
POST with photos, idempotency keys, batch tokens), servicerequestupdates, the OpenAPI document,
and the developers' sign-up page for API keys.

Interface: parses input, calls the core, renders output; its views never write a model (its own
few records go through its own actions module). May import the core, lib and
`civic311.choices`; never another interface.
"""
