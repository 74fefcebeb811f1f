"""The report's bottom line, study table and review basics, on small tables written here.

The studies are invented (PMIDs 99000301+); one of them has no title, PMID or DOI, one was
machine-extracted, so the rules for untraceable and machine rows can be seen to hold.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from evidence.outputs.bottom_line import bottom_line, summary_sentence, untraced_studies
from evidence.outputs.comparisons import evidence_table, forest_sections, headline_table, traced_study_ids
from evidence.errors import SnapshotError
from evidence.outputs.front_page import studies_html
from evidence.outputs.labels import MACHINE_EXTRACTED, preferred_source, reader_label, source_rank, study_link
from evidence.synthesize.risk_of_bias import NOT_ASSESSED, read_judgements, risk_of_bias_table
from evidence.tables.schema import FINDINGS, STUDIES, conform
from .first_topic import FIRST_TOPIC, synthesize

UNTITLED = "ref:untitled-9"


def study(pmid, author, year, forms, comparator, **extra):
    row = {"study_id": pmid or UNTITLED, "pmid": pmid, "authors": [f"{author} J"] if author else [], "year": year,
           "title": f"Invented trial {pmid}" if pmid else None, "design": "rct", "population": "sciatica",
           "interventions": forms, "comparator_class": [comparator], "verified": True, "provenance": "curated",
           "source_urls": [f"https://example.org/{pmid or 'untitled'}"]}
    return {**row, **extra}


def finding(sid, form, comparator, outcome, direction, *, add_on=False, provenance="curated", **numbers):
    row = {"study_id": sid, "pmid": sid if sid.isdigit() else None, "intervention": form,
           "comparator_class": comparator, "add_on": add_on, "package": False, "outcome": outcome,
           "timepoint": "4 weeks", "timepoint_weeks": 4.0, "measure": "MD", "lower_is_better": True,
           "direction": direction, "provenance": provenance, "source_url": f"https://example.org/{sid}#result"}
    return {**row, **numbers}


@pytest.fixture
def tables():
    studies = pd.DataFrame([
        study("99000301", "Smith", 2018, ["manual"], "nerve_block"),
        study("99000302", "Li", 2020, ["electroacupuncture"], "other_injection", provenance="auto", verified=False),
        study("99000303", "Chen", 2021, ["acupotomy"], "epidural_steroid_injection", add_on=True),
        study(None, None, None, ["dry_needling"], "other_injection",
              source_urls=["http://203.0.113.7:81/listing?id=1"]),
    ])
    findings = pd.DataFrame([
        finding("99000301", "manual", "nerve_block", "leg_pain_nrs", "favours_comparator",
                n_intervention=30, n_comparator=30, p_value_text="<0.05"),
        finding("99000302", "electroacupuncture", "other_injection", "odi", "favours_intervention", provenance="auto",
                estimate=-6.0, ci_low=-9.0, ci_high=-3.0, n_intervention=25, n_comparator=25),
        finding("99000303", "acupotomy", "epidural_steroid_injection", "pain_vas", "favours_intervention", add_on=True,
                estimate=-1.0, ci_low=-1.6, ci_high=-0.4, n_intervention=20, n_comparator=20),
        finding(UNTITLED, "dry_needling", "other_injection", "effective_rate", "favours_intervention",
                measure="RR", int_events=28, comp_events=20, n_intervention=30, n_comparator=30, lower_is_better=False,
                source_url="http://203.0.113.7:81/listing?id=1"),
    ])
    return conform(studies, STUDIES), conform(findings, FINDINGS)


def paragraphs_by_comparison(studies, findings):
    synthesis = synthesize(studies, findings)
    return {p.comparison: p for p in bottom_line(synthesis, findings, studies, topic=FIRST_TOPIC)}, synthesis


def test_each_comparison_says_which_side_was_favoured_how_many_and_how_certain(tables):
    studies, findings = tables
    paragraphs, synthesis = paragraphs_by_comparison(studies, findings)
    block = paragraphs["acupuncture vs nerve block"]
    assert block.heading == "Acupuncture instead of a nerve block"
    assert block.text.startswith("One study, a randomised trial with 60 participants.")
    assert "Smith 2018 (randomised trial, manual acupuncture, 60 participants) favoured the nerve block on " \
           "leg pain (0-10 NRS) (4 weeks)." in block.text
    assert "Certainty: very low." in block.text
    add_on = paragraphs["acupuncture + epidural steroid injection vs epidural steroid injection"]
    assert "favoured adding acupotomy (needle-knife) on pain (VAS)" in add_on.text  # the kind is named
    assert paragraphs["acupuncture vs epidural steroid injection"].text == "No study found makes this comparison."
    summary = summary_sentence(list(paragraphs.values()), synthesis, FIRST_TOPIC.report.focus_name)
    assert summary.startswith("Three traceable studies, three randomised trials among them (150 participants)")
    assert summary.endswith("One more study could not be traced and is listed apart.")


def test_an_untraceable_study_never_supports_a_statement(tables):
    studies, findings = tables
    paragraphs, synthesis = paragraphs_by_comparison(studies, findings)
    other = paragraphs["acupuncture vs other injection"]
    assert UNTITLED not in other.study_ids and "untitled" not in other.text
    assert "One further study that could not be traced (no title, PMID or DOI) is listed apart" in other.text
    apart = untraced_studies(synthesis, findings, studies, topic=FIRST_TOPIC)
    assert len(apart) == 1 and apart.iloc[0]["source_url"] == "http://203.0.113.7:81/listing?id=1"
    assert "favours acupuncture" in apart.iloc[0]["reported"]
    # Alone in its comparison, it makes no statement at all.
    alone_findings = findings[findings["study_id"] != "99000302"].reset_index(drop=True)
    alone, _ = paragraphs_by_comparison(studies, alone_findings)
    assert alone["acupuncture vs other injection"].text.startswith("No study found makes this comparison.")
    headline = headline_table(synthesize(studies, alone_findings), alone_findings, studies, topic=FIRST_TOPIC).set_index("comparison")
    assert (headline.loc["acupuncture vs other injection", ["studies", "could_not_be_traced", "certainty"]].tolist()
            == [0, 1, "no evidence"])
    # Nor is it drawn: its estimable RR would otherwise make a forest plot of its own.
    synthesis = synthesize(studies, alone_findings)
    drawn = forest_sections(synthesis, topic=FIRST_TOPIC, traced_ids=traced_study_ids(synthesis, alone_findings, studies))
    assert ("other_injection", "head_to_head") not in {(s.comparator_class, s.design_kind) for s in drawn}
    assert ("other_injection", "head_to_head") in {(s.comparator_class, s.design_kind) for s in forest_sections(synthesis, topic=FIRST_TOPIC)}


def test_machine_extracted_rows_are_labelled_wherever_shown(tables):
    studies, findings = tables
    paragraphs, synthesis = paragraphs_by_comparison(studies, findings)
    assert MACHINE_EXTRACTED in paragraphs["acupuncture vs other injection"].text
    assert MACHINE_EXTRACTED not in paragraphs["acupuncture vs nerve block"].text
    table = evidence_table(synthesis, findings, studies, topic=FIRST_TOPIC).set_index("study")
    assert table.loc["Li 2020", "extraction"] == MACHINE_EXTRACTED and table.loc["Smith 2018", "extraction"] == "curated"
    html = studies_html(evidence_table(synthesis, findings, studies, topic=FIRST_TOPIC),
                        FIRST_TOPIC.report.intervention, FIRST_TOPIC.report.focus_name)
    li_row = next(r for r in html.split("<tr>") if "Li 2020" in r)
    assert f'<span class="machine">{MACHINE_EXTRACTED}</span>' in li_row
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/99000302/"' in li_row
    assert "untitled" not in html  # the untraceable study is not a row of the study table


def test_links_and_the_source_shown_prefer_first_hand_pages():
    assert study_link("99000301", "10.1/x") == "https://pubmed.ncbi.nlm.nih.gov/99000301/"
    assert study_link(None, "10.1000/abc") == "https://doi.org/10.1000/abc"
    assert study_link(None, None) is None
    urls = ["http://203.0.113.7:8081/99000301", "http://forum.example.org/board/1", "https://m.booksci.cn/x.htm",
            "https://journal.example.org/article/1", "https://pubmed.ncbi.nlm.nih.gov/99000301/"]
    assert preferred_source(urls) == "https://pubmed.ncbi.nlm.nih.gov/99000301/"
    assert preferred_source(urls[:4]) == "https://journal.example.org/article/1"  # the publisher before any copy
    assert preferred_source(urls[:3]) == "https://m.booksci.cn/x.htm"  # a mirror before a forum or an IP address
    assert [source_rank(u) for u in urls] == [3, 3, 2, 1, 0]
    assert preferred_source([None, float("nan")]) is None


def test_risk_of_bias_is_recorded_or_not_assessed(tmp_path):
    trials = pd.DataFrame({"study_id": ["99000301", "99000303"], "study": ["Smith 2018", "Chen 2021"]})
    assert read_judgements(tmp_path) == {}
    table = risk_of_bias_table(trials, {})
    assert (table.drop(columns=["Study", "Assessed by", "Source"]) == NOT_ASSESSED).all().all()
    line = {"study_id": "99000303", "randomisation": "low", "deviations": "high", "missing_data": "low",
            "measurement": "some concerns", "selection": "low", "overall": "high", "assessed_by": "an invented review",
            "source_url": "https://example.org/rob"}
    (tmp_path / "risk_of_bias.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    table = risk_of_bias_table(trials, read_judgements(tmp_path)).set_index("Study")
    assert table.loc["Chen 2021", "Deviations from intended interventions"] == "high"
    assert table.loc["Chen 2021", "Source"] == "https://example.org/rob"
    assert table.loc["Smith 2018", "Overall"] == NOT_ASSESSED
    (tmp_path / "risk_of_bias.jsonl").write_text(json.dumps({**line, "overall": "probably fine"}) + "\n",
                                                 encoding="utf-8")
    with pytest.raises(SnapshotError, match="line 1: overall must be one of"):
        read_judgements(tmp_path)
    (tmp_path / "risk_of_bias.jsonl").write_text(json.dumps({"study_id": "99000303", "overall": "low"}) + "\n",
                                                 encoding="utf-8")
    with pytest.raises(SnapshotError, match="needs study_id and source_url"):
        read_judgements(tmp_path)


def test_one_reader_label_names_studies_for_the_report_and_the_claim_checker():
    # The report's tables and plots: the synthesis label, never an internal id.
    assert reader_label("Lee 2024", "99000301") == "Lee 2024"
    assert reader_label("doi:10.1/x", None) == "DOI 10.1/x"
    assert reader_label(UNTITLED, pd.NA) == "an untitled study"
    assert reader_label(UNTITLED, "99000302") == "PMID 99000302"
    # The claim checker: a label that is only the study's id becomes its first author.
    assert reader_label("ref:a", None, study_id="ref:a", authors=["Lee J"], year=None) == "Lee (year not recorded)"
    assert reader_label("99000301", "99000301", study_id="99000301", authors=["Lee J"]) == "99000301"
    assert reader_label("ref:a", None, study_id="ref:a", authors=[]) == "an untitled study"
    # ... and with what a reader looks the study up by, shown once when the name is that identifier.
    assert reader_label("Ji 2015", "99000303", study_id="99000303", with_identifier=True) == "Ji 2015 (PMID 99000303)"
    assert reader_label("PMID 99000303", "99000303", study_id="99000303", with_identifier=True) == "PMID 99000303"
    assert reader_label("doi:10.1/x", None, study_id="doi:10.1/x", with_identifier=True) == "DOI 10.1/x"
    assert reader_label("Lee 2020", None, study_id="ref:b", with_identifier=True) == "Lee 2020 (no PMID or DOI)"
