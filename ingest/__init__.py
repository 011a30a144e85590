"""Ingestion: Markdown corpus in, searchable index out."""
