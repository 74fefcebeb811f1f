"""The PubMed baseline at scale, on Dask: build a partitioned dataset, run a topic's query offline, classify.

Modules, one job each: :mod:`.cluster` (the Dask client and running tasks), :mod:`.manifest` (the
files built, their order and sha256), :mod:`.updates` (which PMIDs a later file replaces or
deletes), :mod:`.build` (files -> partitions), :mod:`.dataset` (reading partitions),
:mod:`.query` (PubMed query syntax -> a tree), :mod:`.mesh_tree` (narrower MeSH headings),
:mod:`.evaluate` (a query tree over a partition's tables), :mod:`.select` (matches -> a normal
store), :mod:`.classify` (design classification and extraction per partition).
"""
