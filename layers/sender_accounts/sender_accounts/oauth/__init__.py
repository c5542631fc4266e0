"""OAuth2 mailboxes: provider apps, tokens, the consent flow."""
