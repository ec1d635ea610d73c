"""Raw files -> documents, reports and the ledger (stages ``acquire``, ``clean``, ``summarize_corpus``)."""
