from civic311.notifications.tests.mail import mailbox

__all__ = ["mailbox"]
