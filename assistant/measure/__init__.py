"""The measuring tools, run by hand or by the suite, never by the app: answer quality
(`eval`, `loo`), job-match scores (`match_scoring`), latency (`bench`), concurrent load
(`load`) and corpus size (`scaling`)."""
