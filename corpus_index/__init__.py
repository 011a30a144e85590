"""The contract between ingestion and the assistant.

Typed records, the on-disk index format, the BM25 term analyser and the
embedding model: everything both sides must agree on, and nothing else; plus
where both entry points send their logs (`log_routing`), so they route alike.
"""
