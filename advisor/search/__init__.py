"""The query side: hybrid retrieval (``retrieval``: BM25 over the lexicon's analysis plus dense
search in the store), the matchers that let a question's facts meet a passage's words
(``count_match`` for example counts, ``situation_match`` for stated facts), the knowledge base
that owns store, embedder and retriever (``knowledge_base``) and the LangChain retriever
(``lc_retriever``).

May import: ``advisor.config``, ``advisor.schemas``, ``advisor.text``, ``advisor.knowledge``,
``advisor.extraction`` (numbers and fact patterns). Never ``answer``, ``llm``, the service or the faces.
"""
