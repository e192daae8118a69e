"""Outbound webhooks of the service desk: endpoints, signed deliveries (Standard Webhooks),
retries with backoff, and the SSRF guard on target addresses."""
