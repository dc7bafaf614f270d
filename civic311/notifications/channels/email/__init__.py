"""The email channel: which follower gets which email (handler), the email itself (message)
and its way out with retries (sending)."""
