"""Channels that deliver notifications: each a small package (email now; SMS and webhooks
may follow)."""
