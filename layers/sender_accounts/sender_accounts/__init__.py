"""The sender-accounts domain, shared by every function of the stack."""

from sender_accounts.startup import pause_collection

pause_collection()  # before anything else of the layer loads: see startup.py

from sender_accounts.lazy_packages import install  # noqa: E402

install()  # before any library package loads: see lazy_packages.py

from sender_accounts.adapters.log_safety import silence_wire_logs  # noqa: E402

silence_wire_logs()
