"""schema.frame_from_rows builds the same frames as conform() over a DataFrame of the rows."""

from __future__ import annotations

import pandas as pd
import pytest
from lxml import etree

from evidence.ingest import parse
from evidence.tables.schema import RECORD_TABLES, STUDIES, conform, frame_from_rows, validate

from .conftest import FIXTURES


def sample_rows() -> dict[str, list[tuple]]:
    """The row tuples the XML reader buffers for the sample fixture."""
    rows = parse.Rows()
    for _, elem in etree.iterparse(str(FIXTURES / "pubmed_sample.xml"), tag="PubmedArticle", resolve_entities=False):
        parse._article(elem, rows)
    return rows.rows


@pytest.mark.parametrize("name", list(parse.COLUMNS))
def test_rows_give_the_frame_conform_gives(name):
    rows = sample_rows()[name]
    names = parse.COLUMNS[name]
    table = RECORD_TABLES[name]
    built = frame_from_rows(rows, table, names)
    expected = conform(pd.DataFrame(rows, columns=list(names), dtype=object), table)
    pd.testing.assert_frame_equal(built, expected)
    if name == "articles":  # Rows.frames names the source file afterwards
        built["source"] = pd.array(["sample.xml"] * len(built), dtype="string")
    assert validate(built, table) == []


@pytest.mark.parametrize("name", list(parse.COLUMNS))
def test_no_rows_give_an_empty_conforming_frame(name):
    built = frame_from_rows([], RECORD_TABLES[name], parse.COLUMNS[name])
    assert len(built) == 0
    assert validate(built, RECORD_TABLES[name]) == []


def test_missing_values_lists_and_absent_columns():
    # Nulls in every kind of column, empty and shared lists, and table columns the rows lack.
    names = ("pmid", "position", "last_name", "affiliations")
    rows = [("1", 1, None, []), ("1", None, "Ng", ["A", "B"]), ("2", 3, "", ["C"])]
    table = RECORD_TABLES["authors"]
    built = frame_from_rows(rows, table, names)
    expected = conform(pd.DataFrame(rows, columns=list(names), dtype=object), table)
    pd.testing.assert_frame_equal(built, expected)
    assert built["affiliations"].tolist() == [[], ["A", "B"], ["C"]]
    assert built["orcid"].isna().all() and built["position"].isna().tolist() == [False, True, False]


def test_floats_and_nullable_booleans():
    names = ("study_id", "confidence", "verified", "source_urls")
    rows = [("a", 0.5, True, ["u"]), ("b", None, False, [])]
    built = frame_from_rows(rows, STUDIES, names)
    expected = conform(pd.DataFrame(rows, columns=list(names), dtype=object), STUDIES)
    pd.testing.assert_frame_equal(built, expected)


def test_absent_required_flags_are_false_as_conform_makes_them():
    names = ("pmid", "title")
    rows = [("1", "A"), ("2", None)]
    table = RECORD_TABLES["articles"]
    built = frame_from_rows(rows, table, names)
    pd.testing.assert_frame_equal(built, conform(pd.DataFrame(rows, columns=list(names), dtype=object), table))
    assert built["is_retracted"].tolist() == [False, False]
