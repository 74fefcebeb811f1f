"""PubMed query syntax -> a tree of terms and Boolean operators, for running a topic's query offline.

What the topic files use, and no more: terms with a field tag (``[MeSH]``, ``[tiab]``, ``[pt]``
and their long forms), quoted phrases, a trailing ``*`` (truncation), ``AND``/``OR``/``NOT`` in
capitals, and parentheses. As in PubMed, operators apply **from left to right** with no
precedence (``a OR b AND c`` is ``(a OR b) AND c``), and terms side by side are joined by AND.
A term without a tag is searched in title and abstract (PubMed would map it to MeSH and more
first: automatic term mapping, which is not done here). The README lists the differences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError

# Field tags as PubMed accepts them (case-insensitive), by the field searched locally.
FIELDS = {
    "mesh": "mesh", "mh": "mesh", "mesh terms": "mesh",
    "mesh:noexp": "mesh_noexp", "mh:noexp": "mesh_noexp", "mesh terms:noexp": "mesh_noexp",
    "majr": "majr", "mesh major topic": "majr",
    "tiab": "tiab", "title/abstract": "tiab",
    "ti": "ti", "title": "ti",
    "pt": "pt", "publication type": "pt",
}
OPERATORS = ("AND", "OR", "NOT")

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<open>\()
    | (?P<close>\))
    | "(?P<quoted>[^"]*)"(?P<qtag>\s*\[[^\]]*\])?
    | (?P<unterminated>")
    | (?P<word>[^\s()"\[\]]+)(?P<wtag>\s*\[[^\]]*\])?
    | (?P<stray>\[[^\]]*\]?|\])
    )""", re.VERBOSE)


@dataclass(frozen=True)
class Term:
    """One search term: ``text`` (lower case) in ``field``; ``truncated`` when it ended with ``*``."""

    text: str
    field: str
    truncated: bool = False

    def __str__(self) -> str:
        return f'"{self.text}{"*" if self.truncated else ""}"[{self.field}]'


@dataclass(frozen=True)
class BooleanOp:
    """``left OP right`` with OP one of AND, OR, NOT (NOT: in left and not in right)."""

    op: str
    left: Node
    right: Node

    def __str__(self) -> str:
        return f"({self.left} {self.op} {self.right})"


Node = Term | BooleanOp


def parse_query(query: str) -> Node:
    """The tree of a PubMed query.

    Raises
    ------
    InputError
        Unbalanced parentheses or quotes, an operator without a term on one side, a field tag
        the local search does not support, or no term at all.
    """
    tokens = _tokens(query)
    if not tokens:
        raise InputError("the query is empty; give a PubMed query with at least one term")
    node, end = _expression(tokens, 0, query)
    if end != len(tokens):
        raise InputError(f"unbalanced parentheses in the query: a ')' at character {tokens[end][1]} closes nothing")
    return node


def terms_of(node: Node) -> list[Term]:
    """Every term of the tree, left to right."""
    if isinstance(node, Term):
        return [node]
    return [*terms_of(node.left), *terms_of(node.right)]


# A token: (kind, position, value) with kind one of "(", ")", "op", "term".
_Token = tuple[str, int, object]


def _tokens(query: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None or m.end() == pos:  # only trailing whitespace is left
            break
        at = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        pos = m.end()
        if m.group("open"):
            out.append(("(", at, None))
        elif m.group("close"):
            out.append((")", at, None))
        elif m.group("unterminated"):
            raise InputError(f"unterminated quote at character {at} of the query; close the phrase with \"")
        elif m.group("stray") is not None:
            raise InputError(f"a field tag {m.group('stray')} at character {at} of the query follows no term")
        elif m.group("quoted") is not None:
            out.append(("term", at, _term(m.group("quoted"), m.group("qtag"), at, quoted=True)))
        else:
            word = m.group("word")
            if word in OPERATORS and not m.group("wtag"):
                out.append(("op", at, word))
            else:
                out.append(("term", at, _term(word, m.group("wtag"), at, quoted=False)))
    return out


def _term(text: str, tag: str | None, at: int, quoted: bool) -> Term:
    field = "tiab"
    if tag:
        name = tag.strip()[1:-1].strip().lower()
        if name not in FIELDS:
            raise InputError(f"the field tag [{name}] at character {at} is not supported offline; "
                             f"use one of [MeSH], [MeSH:noexp], [majr], [tiab], [ti], [pt]")
        field = FIELDS[name]
    words = " ".join(text.lower().split())
    truncated = words.endswith("*")
    words = words.rstrip("*").strip()
    if not words or "*" in words:
        raise InputError(f"the term {text!r} at character {at} is not searchable: '*' may only end a term, after a word")
    if not quoted and field == "tiab" and not re.search(r"\w", words):
        raise InputError(f"the term {text!r} at character {at} has no word in it")
    return Term(words, field, truncated)


def _expression(tokens: list[_Token], i: int, query: str) -> tuple[Node, int]:
    """Operands joined left to right, until a ')' or the end."""
    node, i = _operand(tokens, i, query)
    while i < len(tokens) and tokens[i][0] != ")":
        kind, at, value = tokens[i]
        if kind == "op":
            if i + 1 >= len(tokens) or tokens[i + 1][0] in (")", "op"):
                raise InputError(f"{value} at character {at} of the query has no term after it")
            right, i = _operand(tokens, i + 1, query)
            node = BooleanOp(str(value), node, right)
        else:  # terms side by side: PubMed joins them with AND
            right, i = _operand(tokens, i, query)
            node = BooleanOp("AND", node, right)
    return node, i


def _operand(tokens: list[_Token], i: int, query: str) -> tuple[Node, int]:
    if i >= len(tokens):
        raise InputError("the query ends where a term was expected")
    kind, at, value = tokens[i]
    if kind == "term":
        assert isinstance(value, Term)
        return value, i + 1
    if kind == "(":
        if i + 1 < len(tokens) and tokens[i + 1][0] == ")":
            raise InputError(f"empty parentheses at character {at} of the query")
        node, j = _expression(tokens, i + 1, query)
        if j >= len(tokens):
            raise InputError(f"unbalanced parentheses in the query: the '(' at character {at} is never closed")
        return node, j + 1
    if kind == "op":
        raise InputError(f"{value} at character {at} of the query has no term before it")
    raise InputError(f"unbalanced parentheses in the query: a ')' at character {at} closes nothing")
