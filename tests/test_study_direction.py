"""The direction of a study's main result (evidence.extract.study_direction) and the inline headings it relies on."""

from __future__ import annotations

import pandas as pd
import pytest

from evidence.extract.findings import extract_effects
from evidence.extract.study_direction import main_direction, main_direction_source, main_directions, overall_direction
from evidence.extract.text import record_text, split_sentences
from evidence.topic.model import load_topic


@pytest.fixture(scope="module")
def topic():
    return load_topic()


def _rows(*rows: tuple[str, str | None, int, object]) -> pd.DataFrame:
    return pd.DataFrame([{"pmid": "99000260", "outcome": o, "direction": d, "span_start": s, "main_result": m} for o, d, s, m in rows])


def test_primary_outcome_rows_decide_over_earlier_secondary_ones():
    rows = _rows(("odi", "no_difference", 10, False), ("back_pain_vas", "no_difference", 50, False),
                 ("leg_pain_vas", "favours_intervention", 90, True))
    assert main_direction(rows) == "favours_intervention"


def test_harms_decide_only_when_nothing_else_is_stated():
    rows = _rows(("leg_pain", "favours_intervention", 10, pd.NA), ("adverse_events", "no_difference", 40, pd.NA),
                 ("adverse_events", "no_difference", 60, pd.NA))
    assert main_direction(rows) == "favours_intervention"
    assert main_direction(rows[rows["outcome"] == "adverse_events"]) == "no_difference"


def test_tie_goes_to_the_earliest_sentence_and_no_direction_is_none():
    rows = _rows(("odi", "favours_comparator", 30, pd.NA), ("joa", "no_difference", 5, pd.NA))
    assert main_direction(rows) == "no_difference"
    assert main_direction(_rows(("odi", None, 3, pd.NA))) is None
    assert main_directions(rows) == {"99000260": "no_difference"}


def test_source_order_primary_rows_then_a_side_stated_then_rows_then_a_likeness_stated(topic):
    # The order measured batch by batch on the tuning texts (see main_direction's docstring).
    side = record_text("A trial", "METHODS: Adults were randomized to acupuncture or naproxen.\nCONCLUSIONS: Acupuncture was more effective than naproxen.")
    alike = record_text("A trial", "METHODS: Adults were randomized to acupuncture or naproxen.\nCONCLUSIONS: Acupuncture was non-inferior to naproxen.")
    primary = _rows(("leg_pain_vas", "no_difference", 10, True), ("odi", "favours_intervention", 40, False))
    secondary = _rows(("odi", "favours_comparator", 10, False))
    assert main_direction_source(primary, side, topic) == ("no_difference", "primary rows")
    assert main_direction_source(secondary, side, topic) == ("favours_intervention", "statement of a side")
    assert main_direction_source(secondary, alike, topic) == ("favours_comparator", "rows")
    assert main_direction_source(secondary.iloc[:0], alike, topic) == ("no_difference", "statement, no rows")


@pytest.mark.parametrize("abstract, expected", [
    ("METHODS: Fifty adults were randomized to acupuncture or naproxen.\nRESULTS: Acupuncture was more effective than naproxen.", "favours_intervention"),
    ("METHODS: Fifty adults were randomized to acupuncture or naproxen.\nRESULTS: Naproxen was more effective than acupuncture.", "favours_comparator"),
    ("METHODS: Fifty adults were randomized to acupuncture or naproxen.\nRESULTS: Acupuncture was not more effective than naproxen.", "no_difference"),
    ("RESULTS: No significant differences were seen between the two groups on any scale.", "no_difference"),
    # A stored text may stop inside the sentence's last word (seen in h29).
    ("RESULTS: Everyone got better, but we saw no clinical or statistical differences between the grou", "no_difference"),
    ("RESULTS: Acupuncture was beneficial for leg pain when compared with naproxen.", "favours_intervention"),
    # Arms named by their group words; the clause after a glued full stop is its own clause, and a
    # no-difference said of one outcome (its subject) is not said of the arms (seen in h06).
    (("RESULTS: The treatment group's effect was better than the control group.(2)The total effective rate did not "
      "differ between the two groups (P>0.05)."), "favours_intervention"),
    ("RESULTS: The control group's effect was better than the treatment group's.", "favours_comparator"),
    # Each arm improved but the arms did not differ: no difference (a kind of failure named in issue 11).
    ("RESULTS: Both groups improved (P < 0.01), but the difference between the groups was not significant (P = 0.40).",
     "no_difference"),
    # Earlier evidence, here from animals, is not the study's result (seen in h23).
    ("RESULTS: Electroacupuncture gave better analgesia compared with placebo in animal studies.", None),
    # A plan is not a result, and an aim written in a methods heading is not one either.
    ("OBJECTIVE: To see whether acupuncture is more effective than naproxen.\nMETHODS: Fifty adults took part.", None),
])
def test_statement_about_all_outcomes_when_no_row_states_one(abstract, expected, topic):
    text = record_text("Trial", abstract)
    assert overall_direction(text, topic) == expected
    empty = _rows(("odi", None, 0, pd.NA))
    assert main_direction(empty, text, topic) == expected


def test_headings_inside_an_unstructured_abstract_become_sections():
    text = record_text("T", "Background: Little is known. Methods Sixty were randomized. Results(1)The VAS fell. "
                            "Results showed more. Conclusion. Acupuncture helped. METHODSTwo groups.")
    got = [(s.section, s.text) for s in split_sentences(text)[1:]]
    assert got == [("BACKGROUND", "Little is known."), ("METHODS", "Sixty were randomized."), ("RESULTS", "(1)The VAS fell."),
                   ("RESULTS", "Results showed more."), ("CONCLUSIONS", "Conclusion."), ("CONCLUSIONS", "Acupuncture helped."),
                   ("METHODS", "Two groups.")]
    assert all(text[s.start:s.end] == s.text for s in split_sentences(text))


def test_outcomes_listed_under_an_inline_methods_heading_are_not_results(topic):
    abstract = ("Objective To compare needling with drugs. Methods: Pain was rated on the VAS, with similar scales at each visit. "
                "Results Leg pain VAS was lower with acupuncture than with celecoxib (P = 0.02).")
    found = extract_effects("99000261", "Trial", abstract, topic)
    assert [(f.outcome, f.p_value_text) for f in found] == [("leg_pain_vas", "0.02")]




@pytest.mark.parametrize("sentence, expected", [
    # "No significant change" said of one subgroup over time compares no arms (seen in h7j11).
    ("Later, the second subgroup had a significant fall in pain and no significant change in walking range.", None),
    ("In the older patients, disability did not change significantly after the course.", None),
    # Set against the other arm, or said of the arms alike, it stays a result.
    ("Pain showed no significant change compared with the sham group (P = 0.31).", "no_difference"),
    ("There was no significant change in leg pain between the two groups (P = 0.44).", "no_difference"),
])
def test_no_change_within_one_arm_states_no_direction(sentence, expected):
    rows = pd.DataFrame([{"pmid": "99001701", "outcome": "pain_vas", "direction": "no_difference", "span_start": 0,
                          "main_result": pd.NA, "sentence": sentence, "p_value_text": pd.NA, "measure": pd.NA}])
    assert main_direction(rows) == expected


@pytest.mark.parametrize("abstract, expected", [
    # Arms said to differ with no side named, then the authors' claim for the intervention (seen in h6f20, h5c06).
    (("METHODS: Forty adults were randomised to acupuncture or usual care.\nRESULTS: Significant differences were "
      "found between the groups in pain at every visit (P<0.01).\nCONCLUSIONS: Acupuncture can relieve pain after the operation."),
     "favours_intervention"),
    # The claim alone, or a difference at entry, says no side.
    (("METHODS: Forty adults were randomised to acupuncture or usual care.\nRESULTS: Pain fell in both groups.\n"
      "CONCLUSIONS: Acupuncture can relieve pain after the operation."), None),
    (("METHODS: Forty adults had acupuncture or usual care.\nRESULTS: A significant difference was seen between the "
      "two groups in age (P=0.03).\nCONCLUSIONS: Acupuncture can relieve pain after the operation."), None),
    # A risk the intervention raises or lowers, when nothing else is said (seen in h7k22).
    (("METHODS: We followed 900 people given acupuncture and 900 who were not.\nRESULTS: Acupuncture was associated "
      "with a lower risk of later spinal surgery."), "favours_intervention"),
    (("METHODS: We followed 900 people given acupuncture and 900 who were not.\nRESULTS: Acupuncture was associated "
      "with an increased risk of skin infection."), "favours_comparator"),
])
def test_fallbacks_when_no_row_and_no_statement(abstract, expected, topic):
    empty = _rows(("odi", None, 0, pd.NA))
    assert main_direction(empty, record_text("Study", abstract), topic) == expected
