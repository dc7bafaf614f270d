from civic311.testing.mail import mailbox

__all__ = ["mailbox"]
