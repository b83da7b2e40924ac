"""Tests of dataset profiling, PII detection and masking."""
