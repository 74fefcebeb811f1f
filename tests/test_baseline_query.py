"""The offline PubMed query: parsing, and matching on records written for these tests (fixtures/baseline_query.xml).

The MeSH tree fixture uses invented tree numbers (X80, X90...) for real heading names: only the
shape of NLM's mtrees file matters here.
"""

from __future__ import annotations

import pytest

from evidence.baseline.evaluate import evaluate
from evidence.baseline.mesh_tree import read_mesh_tree
from evidence.baseline.query import BooleanOp, Term, parse_query, terms_of
from evidence.errors import InputError
from evidence.ingest.parse import read_pubmed
from evidence.topic.model import available_topics, load_topic

from .conftest import FIXTURES

QUERY = '("Sciatica"[MeSH] OR sciatic*[tiab]) AND ("warm needle"[tiab] OR "Acupuncture Therapy"[MeSH]) NOT "Review"[pt]'


@pytest.fixture(scope="module")
def tables():
    return read_pubmed(FIXTURES / "baseline_query.xml")


@pytest.fixture(scope="module")
def tree():
    return read_mesh_tree(FIXTURES / "mesh_tree_fixture.bin")


def ids(*last: int) -> set[str]:
    return {str(99000100 + n) for n in last}


def test_the_stated_query_matches_the_expected_records_without_a_tree(tables):
    # 101: phrase + truncated word; 104: "warm-needle" reads as the phrase; 106: upper-case SCIATICA
    # and the exact heading. 102 is a Review (NOT); 103 says "needles"; 105 has only a narrower
    # heading; 107 lacks sciatica; 108 has the phrase's words in another order.
    assert evaluate(parse_query(QUERY), tables) == ids(1, 4, 6)


def test_a_mesh_tree_adds_the_narrower_headings(tables, tree):
    assert evaluate(parse_query(QUERY), tables, tree) == ids(1, 4, 5, 6)
    assert evaluate(parse_query('"Acupuncture Therapy"[MeSH:noexp]'), tables, tree) == ids(2, 6)
    assert evaluate(parse_query('"Acupuncture Therapy"[majr]'), tables, tree) == ids(5)
    assert evaluate(parse_query('"Acupuncture Therapy"[majr]'), tables) == set()
    assert tree.narrower("Therapeutics") == {"therapeutics", "acupuncture therapy", "electroacupuncture", "moxibustion"}
    assert tree.narrower("Not In The Tree") == {"not in the tree"}


@pytest.mark.parametrize(("query", "expected"), [
    ("sciat[tiab]", set()),                       # a whole word, not a prefix, without '*'
    ("sciatic[tiab]", ids(3, 5)),
    ("sciatic*[tiab]", ids(1, 3, 4, 5, 6, 8)),
    ('"sciatic pain"[ti]', ids(3, 5)),
    ("invented[ti]", set()),                      # [ti]: title only; the abstracts say "invented"
    ('"Clinical Trial"[pt]', ids(6)),
    ("clinical trial[pt]", set()),                # unquoted words are separate terms: "clinical" is not a type
    ('"Sciatica"[majr]', ids(2)),
    ('warm needle[tiab]', ids(1, 4, 7, 8)),       # side by side: AND, in any order (103 says "needles")
    ('sciatica[tiab] OR "Low Back Pain"[MeSH] AND warm[tiab]', ids(1, 4, 7, 8)),  # left to right
    ('sciatica[tiab] OR ("Low Back Pain"[MeSH] AND warm[tiab])', ids(1, 4, 6, 7, 8)),
])
def test_fields_phrases_truncation_and_operator_order(tables, query, expected):
    assert evaluate(parse_query(query), tables) == expected


def test_operators_apply_from_left_to_right_as_in_pubmed():
    a, b, c = (Term(x, "tiab") for x in "abc")
    assert parse_query("a OR b AND c") == BooleanOp("AND", BooleanOp("OR", a, b), c)
    assert parse_query("a OR (b AND c)") == BooleanOp("OR", a, BooleanOp("AND", b, c))
    assert parse_query("a NOT b c") == BooleanOp("AND", BooleanOp("NOT", a, b), c)
    assert parse_query('"Acupuncture*"[Title/Abstract]') == Term("acupuncture", "tiab", truncated=True)


@pytest.mark.parametrize("name", available_topics())
def test_every_shipped_topic_query_parses(name):
    query = load_topic(name).query
    terms = terms_of(parse_query(query))
    # Every tagged term of the file is kept: count the tags in the text.
    assert len(terms) == query.count("[")
    assert {t.field for t in terms} <= {"mesh", "tiab"}


@pytest.mark.parametrize(("query", "message"), [
    ("", "the query is empty"),
    ("(sciatica[tiab]", "never closed"),
    ("sciatica[tiab])", "closes nothing"),
    ('"warm needle[tiab]', "unterminated quote"),
    ("sciatica[tiab] AND", "no term after it"),
    ("OR sciatica[tiab]", "no term before it"),
    ("smith[au]", "[au] at character 0 is not supported offline"),
    ("acu*puncture[tiab]", "'*' may only end a term"),
    ("() sciatica[tiab]", "empty parentheses"),
    ("[tiab]", "follows no term"),
])
def test_bad_queries_give_one_line_errors(query, message):
    with pytest.raises(InputError) as err:
        parse_query(query)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_a_bad_mesh_tree_file_is_refused(tmp_path):
    bad = tmp_path / "mtrees.bin"
    bad.write_text("Acupuncture Therapy E02.190\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: expected 'Heading;TreeNumber'"):
        read_mesh_tree(bad)
    with pytest.raises(InputError, match="cannot be read"):
        read_mesh_tree(tmp_path / "missing.bin")
