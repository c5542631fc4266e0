"""SmartLead's email-account API over the same inboxes: its requests translated to the use
cases ColdSend's surface calls, its answers built from the same records."""
