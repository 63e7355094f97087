"""Tests of kaizen_client.engine."""
