"""Datasets: upload, ingest to Parquet, profile, PII, versions, sharing."""
