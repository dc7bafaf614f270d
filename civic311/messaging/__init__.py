"""Text messages as the city keeps them: every phone number that has written (its language,
its opt-out, the state of its dialog) and every message in and out, and the one seam to the SMS
provider (provider.py; Twilio is the adapter in twilio.py). The SMS dialog (civic311/sms) and
the SMS notification channel (notifications/channels/sms) both stand on this.

Core: may import lib, `civic311.choices` and the other core apps; never an interface.
"""
