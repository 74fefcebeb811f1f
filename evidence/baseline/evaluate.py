"""A parsed query (:mod:`evidence.baseline.query`) run over one partition's tables: the PMIDs it matches.

How each field is searched:

- ``[tiab]`` / ``[ti]``: title and abstract (or title), lower case, every run of characters that
  are not letters or digits read as one space; a term matches whole words in sequence, and a
  truncated term (``acupunct*``) matches any word that starts with its last word.
- ``[MeSH]``: the record's MeSH headings, case-insensitive, the heading itself and, when a MeSH
  tree is given, every narrower heading (PubMed's "explode"); ``[MeSH:noexp]`` the heading only;
  ``[majr]`` like ``[MeSH]`` but only headings marked major topic.
- ``[pt]``: publication types, case-insensitive.
"""

from __future__ import annotations

import re

import pandas as pd

from .mesh_tree import MeshTree
from .query import Node, Term

QUERY_TABLES = ("articles", "mesh", "publication_types")
QUERY_COLUMNS = {"articles": ["pmid", "title", "abstract"], "mesh": ["pmid", "descriptor", "major"],
                 "publication_types": ["pmid", "publication_type"]}
_NOT_WORD = re.compile(r"[^\w]+")


def words_of(text: str) -> str:
    """Text as the search sees it: lower case, runs of non-word characters as one space."""
    return _NOT_WORD.sub(" ", text.lower()).strip()


class PartitionIndex:
    """One partition's searchable fields, prepared once for all the terms of a query."""

    def __init__(self, tables: dict[str, pd.DataFrame], mesh_tree: MeshTree | None = None) -> None:
        articles = tables["articles"]
        self.pmids = articles["pmid"].astype(str)
        title = articles["title"].fillna("").astype(str)
        abstract = articles["abstract"].fillna("").astype(str)
        # Padded with spaces, so a term is found as whole words by a plain substring search.
        self.ti = " " + title.str.lower().str.replace(_NOT_WORD, " ", regex=True) + " "
        self.tiab = " " + (title + " " + abstract).str.lower().str.replace(_NOT_WORD, " ", regex=True) + " "
        mesh = tables["mesh"]
        self.mesh_pmids = mesh["pmid"].astype(str)
        self.mesh_names = mesh["descriptor"].fillna("").astype(str).str.lower()
        self.mesh_major = mesh["major"].fillna(False).astype(bool)
        pt = tables["publication_types"]
        self.pt_pmids = pt["pmid"].astype(str)
        self.pt_names = pt["publication_type"].fillna("").astype(str).str.lower()
        self.tree = mesh_tree
        self._cache: dict[Term, set[str]] = {}

    def term(self, term: Term) -> set[str]:
        """The PMIDs one term matches (remembered: topic queries repeat terms across blocks)."""
        if term not in self._cache:
            self._cache[term] = self._search(term)
        return self._cache[term]

    def _search(self, term: Term) -> set[str]:
        if term.field in ("tiab", "ti"):
            text = self.tiab if term.field == "tiab" else self.ti
            words = words_of(term.text)
            if term.truncated:
                hits = text.str.contains(" " + re.escape(words), regex=True)
            else:
                hits = text.str.contains(f" {words} ", regex=False)
            return set(self.pmids[hits])
        if term.field == "pt":
            hits = self._names_match(self.pt_names, {term.text}, term.truncated)
            return set(self.pt_pmids[hits])
        explode = term.field in ("mesh", "majr") and self.tree is not None
        headings = self.tree.narrower(term.text) if explode and self.tree is not None else {term.text}
        hits = self._names_match(self.mesh_names, headings, term.truncated)
        if term.field == "majr":
            hits &= self.mesh_major
        return set(self.mesh_pmids[hits])

    @staticmethod
    def _names_match(names: pd.Series, wanted: set[str], truncated: bool) -> pd.Series:
        if truncated:
            return names.str.startswith(tuple(wanted))
        return names.isin(wanted)


def matching_pmids(node: Node, index: PartitionIndex) -> set[str]:
    """The PMIDs of the partition that the query tree matches."""
    if isinstance(node, Term):
        return index.term(node)
    left = matching_pmids(node.left, index)
    right = matching_pmids(node.right, index)
    if node.op == "AND":
        return left & right
    if node.op == "OR":
        return left | right
    return left - right


def evaluate(node: Node, tables: dict[str, pd.DataFrame], mesh_tree: MeshTree | None = None) -> set[str]:
    """The PMIDs among ``tables`` (articles, mesh, publication_types) that ``node`` matches."""
    return matching_pmids(node, PartitionIndex(tables, mesh_tree))

