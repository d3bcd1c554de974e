"""Tests of the normalizer and deduplication."""
