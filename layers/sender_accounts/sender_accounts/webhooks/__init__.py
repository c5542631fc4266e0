"""Webhooks: a workspace's own HTTPS endpoints told of its events, signed per the Standard
Webhooks specification, at least once, retried with backoff."""
