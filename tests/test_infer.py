"""The result-direction engine (evidence.infer_result) and the `evidence infer` command.

The failure-pattern fixtures (tests/fixtures/infer/patterns.jsonl) were written for this project
under fake PMIDs, each reproducing a way real trial abstracts of this topic state their results.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

import evidence
from evidence.extract.arms import Arms
from evidence.cli import cli
from evidence.errors import InputError
from evidence.extract.infer import LABELS, finding_direction, parse_prompt
from evidence.extract.primary import primary_outcome

PATTERNS = Path(__file__).parent / "fixtures" / "infer" / "patterns.jsonl"


def _patterns() -> list[dict]:
    return [json.loads(line) for line in PATTERNS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", _patterns(), ids=lambda c: c["name"])
def test_failure_pattern_fixture(case):
    result = evidence.infer_result(case["text"], intervention=case["intervention"], comparator=case["comparator"],
                                   outcome=case["outcome"])
    assert result.label == case["label"], result
    assert result.sentence == case["sentence"], result
    if result.sentence is not None:
        assert case["text"][result.start : result.end] == result.sentence
    assert result.rule.startswith("rules-v1:")
    assert 0.0 <= result.confidence <= 1.0


def test_fixture_pmids_are_fake_and_names_unique():
    cases = _patterns()
    assert all(int(c["pmid"]) >= 99000000 for c in cases)
    assert len({c["name"] for c in cases}) == len(cases)
    assert {c["label"] for c in cases} == {*LABELS, None}


def test_numbers_of_the_deciding_clause_are_returned():
    case = next(c for c in _patterns() if c["name"] == "secondary_no_difference_before_primary")
    result = evidence.infer_result(case["text"], intervention="acupuncture", comparator="sham acupuncture",
                                   outcome="leg pain intensity")
    assert (result.estimate, result.ci_low, result.ci_high) == (-7.1, -13.5, -0.7)
    assert result.p_value == 0.03 and result.p_value_text == "0.03"
    bound = evidence.infer_result(
        "RESULTS: Leg pain was lower after acupuncture than after sham (P < 0.001).",
        intervention="acupuncture", comparator="sham", outcome="leg pain")
    assert bound.label == "decreased" and bound.p_value is None and bound.p_value_text == "<0.001"


def test_the_comparator_side_turns_the_direction_round():
    text = "RESULTS: Function scores were higher in the {} group than in the {} group (P = 0.01)."
    forward = evidence.infer_result(text.format("acupuncture", "sham"), intervention="acupuncture",
                                    comparator="sham", outcome="function scores")
    backward = evidence.infer_result(text.format("sham", "acupuncture"), intervention="acupuncture",
                                     comparator="sham", outcome="function scores")
    assert (forward.label, backward.label) == ("increased", "decreased")


def test_a_non_significant_p_value_outweighs_direction_words():
    result = evidence.infer_result("RESULTS: Leg pain was lower with acupuncture than with sham (P = 0.21).",
                                   intervention="acupuncture", comparator="sham", outcome="leg pain")
    assert result.label == "no_difference" and result.rule.endswith("statistics_not_significant")


def test_an_outcome_the_abstract_never_names_gives_no_label_and_no_sentence():
    result = evidence.infer_result("RESULTS: Sleep quality improved more with acupuncture (P = 0.02).",
                                   intervention="acupuncture", comparator="sham", outcome="serum cortisol")
    assert result.label is None and result.sentence is None and result.start is None
    assert result.to_dict()["machine_extracted"] is True


def test_parse_prompt_names_the_problem():
    good = parse_prompt(json.dumps({"id": 7, "text": "t", "intervention": "i", "comparator": "c", "outcome": "o"}))
    assert good["id"] == 7
    for line, words in (("[1, 2]", "JSON object"), ("{", "not valid JSON"),
                        (json.dumps({"text": "t", "intervention": "i", "comparator": "c"}), "'outcome' is missing"),
                        (json.dumps({"text": "", "intervention": "i", "comparator": "c", "outcome": "o"}), "'text'")):
        with pytest.raises(InputError, match=words):
            parse_prompt(line)


def _prompt_file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "prompts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_answers_each_line_and_keeps_extra_fields(tmp_path):
    cases = _patterns()
    lines = [json.dumps({"id": c["name"], **{k: c[k] for k in ("text", "intervention", "comparator", "outcome")}})
             for c in cases]
    result = CliRunner().invoke(cli, ["infer", str(_prompt_file(tmp_path, lines))], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [c["name"] for c in cases]
    assert [r["label"] for r in rows] == [c["label"] for c in cases]
    for row, case in zip(rows, cases):
        assert row["machine_extracted"] is True and row["line"] == cases.index(case) + 1
        if row["sentence"]:
            assert case["text"][row["start"] : row["end"]] == row["sentence"]


def test_cli_reports_bad_lines_with_their_numbers_and_still_answers_the_rest(tmp_path):
    good = json.dumps({"text": "RESULTS: No adverse events occurred in either group.", "intervention": "acupuncture",
                       "comparator": "sham", "outcome": "adverse events"})
    path = _prompt_file(tmp_path, [good, "not json", "", json.dumps({"text": "x"}), good])
    result = CliRunner().invoke(cli, ["infer", str(path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert [json.loads(line)["line"] for line in result.stdout.splitlines()] == [1, 5]
    errors = result.stderr.strip().splitlines()
    assert errors[0].startswith("error: ") and "line 2: not valid JSON" in errors[0]
    assert "line 4: field 'intervention' is missing" in errors[1]
    assert "2 bad line(s)" in errors[2] and len(errors) == 3
    assert "Traceback" not in result.output


def test_cli_rejects_a_file_that_is_not_text(tmp_path):
    path = tmp_path / "prompts.jsonl"
    path.write_bytes(b"\xff\xfe\x00binary")
    result = CliRunner().invoke(cli, ["infer", str(path)], catch_exceptions=False)
    assert result.exit_code == 2 and "not UTF-8" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_help_teaches_the_input_and_output():
    result = CliRunner().invoke(cli, ["infer", "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    for words in ('"intervention"', '"no_difference"', "line number", "evidence infer prompts.jsonl"):
        assert words in result.output


def test_held_out_evidence_inference_prompts_reach_the_floor(peer_data):
    """A regression floor on the real held-out split; bench_extract.py prints the figures."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_extract import f1_scores, load_prompts

    prompts = load_prompts()
    held = [p for p in prompts if p["heldout"]]
    assert 250 < len(held) < 400  # about 30% of 905
    predicted = [evidence.infer_result(p["text"], intervention=p["intervention"], comparator=p["comparator"],
                                       outcome=p["outcome"]).label for p in held]
    assert f1_scores([p["gold"] for p in held], predicted)["macro"] >= 0.70


@pytest.mark.parametrize("abstract, named", [
    ("METHODS: The primary outcome was leg pain VAS at 4 weeks. Secondary outcomes were ODI and SF-36.",
     "leg pain VAS at 4 weeks"),
    ("Main outcome measures Primary: Oswestry disability index. Secondary: leg pain VAS.", "Oswestry disability index"),
    ("METHODS: 50 adults took part. Leg pain (0-100 mm VAS) over four weeks was the primary outcome; back pain was secondary.",
     "Leg pain (0-100 mm VAS) over four weeks"),
    ("Primary endpoint: ODI at 12 weeks; secondary endpoints: VAS.", "ODI at 12 weeks"),
    ("RESULTS: Pain fell in both groups.", None),
])
def test_primary_outcome_is_read_with_its_time_point(abstract, named):
    found = primary_outcome(abstract)
    assert (found.text if found else None) == named
    if found:
        assert abstract[found.start : found.end] == found.text


@pytest.mark.parametrize("first, second, label", [("acupuncture", "sham acupuncture", "decreased"),
                                                  ("sham acupuncture", "acupuncture", "increased")])
def test_a_modifier_names_the_arm_sham_acupuncture_is_not_acupuncture(first, second, label):
    text = f"RESULTS: Leg pain was lower in the {first} group than in the {second} group (P = 0.01)."
    result = evidence.infer_result(text, intervention="acupuncture", comparator="sham acupuncture", outcome="leg pain")
    assert result.label == label


def test_a_stated_polarity_reads_improvement_of_a_disability_score_as_a_decrease():
    # The Sciatica Bothersomeness Index is scored up with worse symptoms; its words do not say so.
    text = "RESULTS: At 3 months, SBI improved more with acupuncture than with usual care (MD -2.4, 95% CI -4.0 to -0.8)."
    guessed = evidence.infer_result(text, intervention="acupuncture", comparator="usual care", outcome="SBI")
    stated = evidence.infer_result(text, intervention="acupuncture", comparator="usual care", outcome="SBI",
                                   lower_is_better=True)
    assert (guessed.label, stated.label) == ("increased", "decreased")
    # Scales the engine knows are read right without help.
    known = evidence.infer_result(text.replace("SBI", "RMDQ"), intervention="acupuncture", comparator="usual care", outcome="RMDQ")
    assert known.label == "decreased"


def _arms_in(sentence: str, *names: tuple[str, str]) -> list[tuple[int, int, str]]:
    return [(sentence.index(word), sentence.index(word) + len(word), side) for word, side in names]


def test_finding_direction_reads_the_label_through_the_topic_polarity():
    s = "Leg pain VAS was lower in the electroacupuncture group than in the injection group (P = 0.03)."
    arms = _arms_in(s, ("electroacupuncture", "intervention"), ("injection", "comparator"))
    start = s.index("Leg pain VAS")
    end = start + len("Leg pain VAS")
    assert finding_direction(s, start, end, arms, "electroacupuncture", "epidural_steroid_injection", True) == "favours_intervention"
    assert finding_direction(s, start, end, arms, "electroacupuncture", "epidural_steroid_injection", False) == "favours_comparator"
    assert finding_direction(s, start, end, arms, "electroacupuncture", "epidural_steroid_injection", None) is None


def test_finding_direction_has_no_favoured_side_without_a_comparator_or_between_arms():
    two_forms = "The cure rate was higher with warm needling than with conventional acupuncture (RR 1.45, 95% CI 1.27 to 1.66)."
    arms = _arms_in(two_forms, ("warm needling", "intervention"), ("acupuncture", "intervention"))
    assert finding_direction(two_forms, 4, 13, arms, "warm_needle", None, False) is None
    within = "Leg pain fell from 6.1 to 3.2 in the acupuncture group (P < 0.01)."
    arms = _arms_in(within, ("acupuncture", "intervention"))
    assert finding_direction(within, 0, 8, arms, "manual", "sham", True) is None
    alike = "ODI at 6 months was similar in both groups (P = 0.41)."
    assert finding_direction(alike, 0, 3, [], "manual", "sham", True) == "no_difference"


_PIECES = ["RESULTS:", "ABSTRACT.RESULTS:\n", "\n", "\n\n", " ", ".", ";", ",", "(", ")", "P = 0.03", "p>0.05", "95% CI -1.2 to 0.4",
           "leg pain", "was lower", "did not differ", "than", "in the sham group", "acupuncture", "group A", "vs.",
           "no significant difference", "Although", "both groups", "from 6.1 to 3.2", "(VAS)", "improved", "−", "±"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=12), max_size=30).map("".join))
def test_any_text_gives_a_statement_whose_span_quotes_the_abstract(text):
    result = evidence.infer_result(text, intervention="acupuncture", comparator="sham", outcome="leg pain")
    assert result.label in (*LABELS, None)
    if result.sentence is not None:
        assert text[result.start : result.end] == result.sentence
    assert 0.0 <= result.confidence <= 1.0


def test_an_add_on_arm_and_its_base_treatment_are_told_apart():
    text = "RESULTS: Leg pain was lower in the acupuncture plus drug group than in the drug group (P = 0.02)."
    result = evidence.infer_result(text, intervention="acupuncture plus drugs", comparator="drugs alone", outcome="leg pain")
    assert result.label == "decreased"
    backward = text.replace("acupuncture plus drug group than in the drug group", "drug group than in the acupuncture plus drug group")
    assert evidence.infer_result(backward, intervention="acupuncture plus drugs", comparator="drugs alone",
                                 outcome="leg pain").label == "increased"


def test_confidence_follows_the_strength_of_the_rule():
    tested = evidence.infer_result("RESULTS: Leg pain did not differ between acupuncture and sham (P = 0.62).",
                                   intervention="acupuncture", comparator="sham", outcome="leg pain")
    untested = evidence.infer_result("CONCLUSIONS: Acupuncture may lower leg pain more than sham.",
                                     intervention="acupuncture", comparator="sham", outcome="leg pain")
    assert tested.rule.endswith("statistics_not_significant") and untested.rule.endswith("_untested")
    assert tested.confidence > untested.confidence > 0


def test_cli_reads_prompts_from_stdin():
    line = json.dumps({"text": "RESULTS: ODI was lower with acupuncture than with sham (P = 0.01).",
                       "intervention": "acupuncture", "comparator": "sham", "outcome": "ODI"})
    result = CliRunner().invoke(cli, ["infer", "-"], input=line + "\n", catch_exceptions=False)
    assert result.exit_code == 0
    (row,) = [json.loads(out) for out in result.stdout.splitlines()]
    assert (row["label"], row["line"], row["p_value"]) == ("decreased", 1, 0.01)


def test_a_withheld_comparator_is_a_control_and_its_negation_names_no_arm():
    arms = Arms("six back-school sessions", "did not attend the back school")
    assert "not" not in arms.words["comparator"]
    # Before the fix "not" was a comparator word, so this sentence named the comparator.
    assert arms.mentions("pain was not lower at week 2") == []
    assert arms.mentions("the intervention group improved") == [(4, "intervention")]


def test_an_arm_is_found_by_its_initials_but_never_by_initials_that_spell_a_common_word():
    assert Arms("transcutaneous electrical nerve stimulation", "sham").mentions("pain fell with TENS") == [(15, "intervention")]
    assert Arms("acupuncture needle debridement", "sham").mentions("pain and numbness") == []


def test_topic_polarity_reads_an_outcome_its_words_do_not_explain():
    """"VAS" and "RMDQ" carry no word that says lower is better; the topic's vocabulary knows they are
    pain and disability scales. "JOA score" is the other way round (higher is better)."""
    from evidence.extract.findings import outcome_polarity
    from evidence.topic.model import load_topic

    topic = load_topic("acupuncture_sciatica")
    assert outcome_polarity("VAS", topic) is True and outcome_polarity("RMDQ", topic) is True
    assert outcome_polarity("JOA score", topic) is False and outcome_polarity("quality of sleep", topic) is None


def test_cli_topic_option_reads_improvement_through_the_topic_polarity(tmp_path):
    """An outcome whose words say nothing of its polarity: the topic file says lower is better."""
    fake = Path(__file__).parent / "fixtures" / "fake_topic" / "topic.toml"
    text = fake.read_text(encoding="utf-8")
    topic_file = tmp_path / "topic.toml"
    topic_file.write_text(text.replace("[vocab.outcome.adverse_events]",
                                       "[vocab.outcome.gait_index]\nlower_is_better = true\npatterns = ['\\bGLX\\b']\n"
                                       "[vocab.outcome.adverse_events]", 1), encoding="utf-8")
    improved = {"text": "RESULTS: The GLX improved more with lumen therapy than with sham (P = 0.02).",
                "intervention": "lumen therapy", "comparator": "sham", "outcome": "GLX"}
    unknown = {**improved, "text": improved["text"].replace("GLX", "QZT"), "outcome": "QZT"}
    path = _prompt_file(tmp_path, [json.dumps(improved), json.dumps(unknown)])
    plain = CliRunner().invoke(cli, ["infer", str(path)], catch_exceptions=False)
    with_topic = CliRunner().invoke(cli, ["infer", "--topic", str(topic_file), str(path)], catch_exceptions=False)
    assert plain.exit_code == with_topic.exit_code == 0, with_topic.output
    labels = [[json.loads(line)["label"] for line in r.stdout.splitlines()] for r in (plain, with_topic)]
    # Without a topic an unknown score is taken as higher-is-better: an improvement reads as an
    # increase. The topic says lower is better for GLX. An outcome the topic does not know is unchanged.
    assert labels == [["increased", "increased"], ["decreased", "increased"]]


def test_cli_unknown_topic_is_one_line():
    result = CliRunner().invoke(cli, ["infer", "--topic", "no_such_topic", "-"], input="")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.output + result.stderr


def test_an_abstract_without_headings_is_not_read_as_its_title():
    from evidence.extract.infer import _sentences

    sentences = _sentences("TITLE:\nAcupuncture for sciatica\n\n\nWe randomised 80 adults. Leg pain fell more with acupuncture.")
    assert [s.section for s in sentences] == ["TITLE", "", ""]
    # A title then a headed abstract keeps the headings.
    headed = _sentences("TITLE:\nAcupuncture for sciatica\n\nRESULTS: Leg pain fell more with acupuncture.")
    assert [s.section for s in headed] == ["TITLE", "RESULTS"]


def test_group_labels_and_defined_abbreviations_name_the_arms():
    abstract = ("METHODS: Group 1 received transforaminal injection and Group 2 took oral pregabalin; "
                "an experimental group (EG) and a control group (CG) were compared.")
    arms = Arms("transforaminal injection", "oral pregabalin", abstract)
    sentence = "pain was lower in Group 2 than in Group 1"
    assert arms.mentions(sentence) == [(sentence.index("Group 2"), "comparator"), (sentence.index("Group 1"), "intervention")]
    with_control = Arms("back school", "usual care", abstract)
    assert with_control.mentions("the CG and the EG") == [(4, "comparator"), (15, "intervention")]
    # A third arm's label ("Group A10") names neither arm.
    doses = Arms("5 mg amitriptyline", "5 mg amitriptyline and 10 mg dexamethasone",
                 "Group A5 (5 mg amitriptyline), Group A10 (10 mg amitriptyline) or Group A5+D (5 mg amitriptyline and 10 mg dexamethasone).")
    sentence = "Group A10 and Group A5 and Group A5+D"
    assert doses.mentions(sentence) == [(sentence.index("Group A5 "), "intervention"), (sentence.index("Group A5+D"), "comparator")]


def test_abbreviations_are_found_through_small_words_and_inside_words():
    from evidence.extract.result_cues import defined_abbreviations, spelled_out

    found = dict(defined_abbreviations("We measured range of motion (ROM), intraocular pressure (IOP) and the visual analogue scale (VAS)."))
    assert found == {"ROM": "range of motion", "IOP": "intraocular pressure", "VAS": "visual analogue scale"}
    # Letters scattered over a long stretch of words spell nothing: each word must lend a letter.
    assert defined_abbreviations("Success was defined as intraocular pressure (SAP).") == []
    assert spelled_out("ODI", "The Oswestry Disability Index fell.") == "Oswestry Disability Index"
    assert spelled_out("ODI", "Pain fell.") is None
