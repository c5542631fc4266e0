"""The sender-accounts domain, shared by every function of the stack."""

from .log_safety import silence_wire_logs

silence_wire_logs()
