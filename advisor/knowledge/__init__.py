"""The knowledge side, documents to stored vectors: load articles (``documents``), chunk them
(``chunking``), their question keys (``question_keys``), embed (``embeddings``), keep them in
Chroma (``store``) and sync a folder into it without loss (``ingest``).

May import: ``advisor.config``, ``advisor.schemas``, ``advisor.text``, ``advisor.extraction``
(text normalisation). Never ``search``, ``answer``, ``llm``, the service or the faces.
"""
