"""The SMS channel: which phone follower gets which text (handler), the text itself (message)
and its way out through the provider with retries and a per-number rate limit (sending)."""
