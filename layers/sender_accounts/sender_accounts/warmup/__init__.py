"""Warm-up: the pool of enabled inboxes sending innocent mail to each other on a ramp."""
