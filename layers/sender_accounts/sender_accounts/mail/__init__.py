"""Connection validation against users' own SMTP and IMAP servers."""
