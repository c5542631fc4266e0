"""The sender-accounts domain, shared by every function of the stack."""
