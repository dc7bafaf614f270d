"""Telling people: followers (subscriptions with double opt-in), the outbox (every timeline
entry becomes a task in its transaction), the one delivery seam (claim, send, retry, dead
letter) and the channels that deliver through it (channels/email, channels/sms).

Core: may import lib, `civic311.choices` and the other core apps; never an interface.
"""
