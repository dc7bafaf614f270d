"""API keys for apps and integrations (Chicago's model: a key per app, test keys at once,
production keys approved by the city): issuing, approving, revoking, and finding the key a
caller presented. Only a hash of each key is stored.

Core: may import lib and `civic311.choices`; knows nothing of HTTP (the interfaces read the key
from the request and hand it here).
"""
