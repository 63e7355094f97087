"""Tests of kaizen_client.service: the operations and handle_request."""
