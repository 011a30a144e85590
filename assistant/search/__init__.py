"""The index held in memory and searched: loading and live reload (`live_index`), the
searchable index and its tables (`search_index`), BM25 (`bm25_matrix`), dense search
(`dense_search`) and their fusion (`retrieval`)."""
