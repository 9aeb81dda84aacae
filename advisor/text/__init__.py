"""Words for search: tokens, stop words and stems (``words``), the domain lexicon's concept
groups (``lexicon``, data in ``lexicon.toml``) and the analysis that combines them for BM25,
the offline embedder and the relevance checks (``analysis``).

May import: nothing else of ``advisor`` (it is the bottom layer of the search side).
"""
