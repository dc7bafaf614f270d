"""Webhooks for apps, an extension of the GeoReport API: registration with an API key, signed
(HMAC) calls about each public event, retries and the delivery log the app reads.

Interface: parses input, calls the core, renders output; its views never write a model (its own
records, webhooks and their deliveries, go through actions.py and the core's delivery seam).
May import the core, lib and `civic311.choices`; never another interface.
"""
