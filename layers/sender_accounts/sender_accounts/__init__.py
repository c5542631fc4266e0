"""The sender-accounts domain, shared by every function of the stack."""

from sender_accounts.adapters.log_safety import silence_wire_logs

silence_wire_logs()
