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

import numpy as np
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
    """One partition's searchable fields, prepared once for all the terms of a query.

    Terms are searched only among the rows still in question: the right side of an AND only
    where the left matched, of an OR only where it did not. A topic query is a selective block
    AND another, so most text searches run over a few rows instead of the whole partition.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], mesh_tree: MeshTree | None = None) -> None:
        articles = tables["articles"]
        self.pmids = articles["pmid"].astype(str).to_numpy()
        self.all_rows = np.arange(len(articles))
        title = articles["title"].fillna("").astype(str)
        abstract = articles["abstract"].fillna("").astype(str)
        # Padded with spaces, so a term is found as whole words by a plain substring search.
        self.ti = (" " + title.str.lower().str.replace(_NOT_WORD, " ", regex=True) + " ").to_numpy(dtype=object)
        self.tiab = (" " + (title + " " + abstract).str.lower().str.replace(_NOT_WORD, " ", regex=True) + " ").to_numpy(dtype=object)
        mesh = tables["mesh"]
        self.mesh_pmids = mesh["pmid"].astype(str)
        self.mesh_names = mesh["descriptor"].fillna("").astype(str).str.lower()
        self.mesh_major = mesh["major"].fillna(False).astype(bool)
        pt = tables["publication_types"]
        self.pt_pmids = pt["pmid"].astype(str)
        self.pt_names = pt["publication_type"].fillna("").astype(str).str.lower()
        self.tree = mesh_tree
        self._masks: dict[Term, np.ndarray] = {}  # indexed-field terms: a mask over all rows

    def match(self, node: Node, rows: np.ndarray) -> np.ndarray:
        """The rows among ``rows`` (sorted positions) that ``node`` matches."""
        if isinstance(node, Term):
            return self.term(node, rows)
        left = self.match(node.left, rows)
        if node.op == "AND":
            return self.match(node.right, left) if len(left) else left
        if node.op == "OR":
            rest = np.setdiff1d(rows, left, assume_unique=True)
            return np.union1d(left, self.match(node.right, rest)) if len(rest) else left
        return np.setdiff1d(left, self.match(node.right, left), assume_unique=True) if len(left) else left

    def term(self, term: Term, rows: np.ndarray) -> np.ndarray:
        """The rows among ``rows`` that one term matches."""
        if term.field in ("tiab", "ti"):
            text = self.tiab if term.field == "tiab" else self.ti
            words = words_of(term.text)
            if term.truncated:
                pattern = re.compile(" " + re.escape(words))
                hits = [pattern.search(t) is not None for t in text[rows]]
            else:
                needle = f" {words} "
                hits = [needle in t for t in text[rows]]
            return rows[np.asarray(hits, dtype=bool)] if len(rows) else rows
        if term not in self._masks:  # heading and type searches are cheap: done once over all rows
            self._masks[term] = np.isin(self.pmids, list(self._indexed(term)))
        return rows[self._masks[term][rows]]

    def _indexed(self, term: Term) -> set[str]:
        if term.field == "pt":
            return set(self.pt_pmids[self._names_match(self.pt_names, {term.text}, term.truncated)])
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


def evaluate(node: Node, tables: dict[str, pd.DataFrame], mesh_tree: MeshTree | None = None) -> set[str]:
    """The PMIDs among ``tables`` (articles, mesh, publication_types) that ``node`` matches."""
    index = PartitionIndex(tables, mesh_tree)
    return set(index.pmids[index.match(node, index.all_rows)])
