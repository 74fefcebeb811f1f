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


# Common ways trial abstracts state a between-group result (written for this project), each with the
# label of the first arm against the second. Each is tried in both arm orders: swapping the arms
# turns an increase into a decrease, and leaves no difference as it is.
PHRASINGS = [
    ("acupuncture", "nerve block", "leg pain", "Leg pain was significantly lower in the acupuncture arm than in the nerve block arm (P = 0.01).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "Compared with nerve block, acupuncture significantly reduced leg pain (P = 0.01).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "Compared with acupuncture, nerve block significantly reduced leg pain (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Patients receiving nerve block reported more leg pain than those receiving acupuncture (P = 0.03).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain was higher with nerve block than with acupuncture (P = 0.03).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain at 12 weeks was 3.1 in the acupuncture group and 4.5 in the nerve block group (P = 0.002).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain at 12 weeks was 4.5 in the nerve block group and 3.1 in the acupuncture group (P = 0.002).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "Mean leg pain was 3.1 with acupuncture versus 4.5 with nerve block (P = 0.002).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "Mean leg pain was 4.5 with nerve block versus 3.1 with acupuncture (P = 0.002).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain did not differ between acupuncture and nerve block (P = 0.41).", "no_difference"),
    ("acupuncture", "nerve block", "leg pain", "There was no significant difference in leg pain between the nerve block and acupuncture groups.", "no_difference"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain was similar in both groups (3.2 vs 3.4; P = 0.62).", "no_difference"),
    ("acupuncture", "nerve block", "leg pain", "Nerve block was associated with greater leg pain than acupuncture (P = 0.04).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "The reduction in leg pain was greater with nerve block than with acupuncture (P = 0.02).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "The reduction in leg pain was greater with acupuncture than with nerve block (P = 0.02).", "decreased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain improved more with nerve block than with acupuncture (P = 0.02).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Nerve block reduced leg pain more than acupuncture did (P = 0.02).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain fell in both groups, but the fall was greater in the nerve block group (P = 0.02).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Acupuncture was inferior to nerve block for leg pain (P = 0.02).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Nerve block was superior to acupuncture in relieving leg pain (P = 0.02).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain favoured nerve block (mean difference 1.1, 95% CI 0.4 to 1.8).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain was significantly lower in the nerve block group (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "In the nerve block group, leg pain was significantly lower than in the acupuncture group (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain was significantly increased in the acupuncture group compared with the nerve block group (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Fewer patients in the nerve block group had severe leg pain than in the acupuncture group (12% vs 30%; P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Severe leg pain was less frequent after nerve block than after acupuncture (12% vs 30%; P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain scores were 2.9 and 4.1 in the nerve block and acupuncture groups, respectively (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain scores were 4.1 and 2.9 in the acupuncture and nerve block groups, respectively (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Acupuncture did not reduce leg pain compared with nerve block (P = 0.30).", "no_difference"),
    ("acupuncture", "nerve block", "leg pain", "Nerve block resulted in significantly less leg pain than acupuncture (P < 0.001).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain was lower following nerve block compared to acupuncture (P < 0.001).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Relative to nerve block, acupuncture led to higher leg pain (P < 0.001).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "The nerve block group showed a significant decrease in leg pain compared with the acupuncture group (P < 0.001).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain decreased significantly more in the nerve block group than in the acupuncture group (P < 0.001).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "At 12 weeks, leg pain was 2.0 (nerve block) and 3.5 (acupuncture) (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain: nerve block 2.0 vs acupuncture 3.5 (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "The acupuncture group had significantly more leg pain than the nerve block group at 12 weeks (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain was significantly worse with acupuncture than with nerve block (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain was significantly better with nerve block than with acupuncture (P = 0.01).", "increased"),
    ("acupuncture", "nerve block", "leg pain", "Leg pain was significantly improved in the nerve block group compared with the acupuncture group (P = 0.01).", "increased"),
    ("metformin", "placebo", "response rate", "The response rate was 45% with metformin and 20% with placebo (P < 0.001).", "increased"),
    ("metformin", "placebo", "response rate", "The response rate was 20% with placebo and 45% with metformin (P < 0.001).", "increased"),
    ("metformin", "placebo", "quality of life", "Quality of life improved significantly more in metformin-treated patients than in placebo-treated patients (P = 0.01).", "increased"),
    ("metformin", "placebo", "HbA1c", "HbA1c fell by 1.1% on metformin and by 0.2% on placebo (P < 0.001).", "decreased"),
    ("metformin", "placebo", "HbA1c", "Patients on metformin had lower HbA1c at 24 weeks than patients on placebo (7.1% vs 8.0%, P < 0.001).", "decreased"),
    ("metformin", "placebo", "weight", "Metformin-treated patients lost more weight than those given placebo (P = 0.02).", "decreased"),
    ("metformin", "placebo", "diarrhoea", "Diarrhoea occurred in 25% of patients in the metformin arm and 8% in the placebo arm (P = 0.003).", "increased"),
    ("metformin", "placebo", "diarrhoea", "Diarrhoea was more common in the metformin arm (25% vs 8%; P = 0.003).", "increased"),
    ("metformin", "placebo", "diarrhoea", "The incidence of diarrhoea was three times higher with metformin (relative risk 3.1, 95% CI 1.5 to 6.4).", "increased"),
    ("metformin", "placebo", "mortality", "Mortality did not differ (hazard ratio 0.95, 95% CI 0.80 to 1.13).", "no_difference"),
    ("metformin", "placebo", "mortality", "Metformin reduced mortality (hazard ratio 0.75, 95% CI 0.61 to 0.92).", "decreased"),
    ("metformin", "placebo", "mortality", "The hazard ratio for death with metformin was 0.75 (95% CI 0.61 to 0.92).", "decreased"),
    ("metformin", "placebo", "mortality", "The odds of death were lower in the metformin group (OR 0.70; 95% CI 0.55-0.89; p=0.004).", "decreased"),
    ("metformin", "placebo", "fasting glucose", "Fasting glucose was comparable between the two groups at 12 weeks.", "no_difference"),
    ("metformin", "placebo", "fasting glucose", "No between-group difference was observed for fasting glucose (p = 0.47).", "no_difference"),
    ("metformin", "placebo", "fasting glucose", "Fasting glucose decreased in both groups without a significant difference between them.", "no_difference"),
    ("metformin", "placebo", "fasting glucose", "Fasting glucose decreased from 8.1 to 6.9 mmol/L with metformin (P < 0.001) but did not change with placebo.", "decreased"),
    ("metformin", "placebo", "fasting glucose", "The change in fasting glucose did not reach statistical significance (P = 0.08).", "no_difference"),
    ("metformin", "placebo", "fasting glucose", "Metformin had no effect on fasting glucose.", "no_difference"),
    ("metformin", "placebo", "fasting glucose", "Fasting glucose tended to be lower with metformin (P = 0.07).", "no_difference"),
    ("group A", "group B", "blood loss", "Blood loss was significantly less in group A (210 ml) than in group B (340 ml) (P < 0.01).", "decreased"),
    ("group A", "group B", "blood loss", "Group B had significantly greater blood loss than group A (P < 0.01).", "decreased"),
    ("group A", "group B", "operative time", "Operative time was 45 min in group B and 62 min in group A (P = 0.03).", "increased"),
    ("intrathecal morphine", "systemic analgesia", "time to first rescue analgesic", "Time to first rescue analgesic was prolonged with intrathecal morphine compared with systemic analgesia (P < 0.001).", "increased"),
    ("intrathecal morphine", "systemic analgesia", "time to first rescue analgesic", "Time to first rescue analgesic was shorter with systemic analgesia (P < 0.001).", "increased"),
    ("dexamethasone", "saline", "nausea", "Nausea was reported by 12 of 50 patients given dexamethasone and 27 of 50 given saline (P = 0.002).", "decreased"),
    ("dexamethasone", "saline", "nausea", "Dexamethasone significantly reduced the incidence of nausea compared with saline (24% vs 54%, P = 0.002).", "decreased"),
    ("dexamethasone", "saline", "nausea", "The incidence of nausea in the saline group was significantly higher than in the dexamethasone group (54% vs 24%, P = 0.002).", "decreased"),
    ("exercise", "usual care", "walking distance", "Walking distance increased by 80 m with exercise compared with 10 m with usual care (P < 0.001).", "increased"),
    ("exercise", "usual care", "walking distance", "Exercise improved walking distance relative to usual care (mean difference 70 m, 95% CI 40 to 100).", "increased"),
    ("exercise", "usual care", "walking distance", "Walking distance favoured exercise (mean difference 70 m, 95% CI 40 to 100).", "increased"),
    ("exercise", "usual care", "depression scores", "Depression scores improved significantly in the exercise group compared with the usual care group (P = 0.01).", "decreased"),
    ("exercise", "usual care", "depression scores", "Depression scores were significantly higher in the usual care group at 6 months (P = 0.01).", "decreased"),
    ("exercise", "usual care", "adherence", "Adherence was lower among exercise participants than among usual care participants (62% vs 80%; P = 0.02).", "decreased"),
    ("exercise", "usual care", "falls", "Exercise did not significantly reduce falls (rate ratio 0.91, 95% CI 0.72 to 1.15).", "no_difference"),
    ("exercise", "usual care", "falls", "The exercise programme reduced the rate of falls by 30% (rate ratio 0.70, 95% CI 0.55 to 0.89).", "decreased"),
    ("ketamine", "placebo", "pain scores", "In the placebo group pain scores rose by 2 points, whereas in the ketamine group they fell by 1 point (P < 0.01).", "decreased"),
    ("ketamine", "placebo", "pain scores", "Pain scores were reduced in the ketamine group (P < 0.05) but not in the placebo group.", "decreased"),
    ("ketamine", "placebo", "morphine consumption", "Morphine consumption: ketamine 12.1 ± 4.0 mg vs placebo 20.3 ± 6.2 mg, P < 0.01.", "decreased"),
    ("ketamine", "placebo", "morphine consumption", "There was a significant difference in morphine consumption in favour of ketamine (P < 0.01).", "decreased"),
    ("ketamine", "placebo", "hallucinations", "Rates of hallucinations were 10% and 2% for ketamine and placebo, respectively (P = 0.02).", "increased"),
    ("ketamine", "placebo", "hallucinations", "Hallucinations were significantly more frequent after ketamine (P = 0.02).", "increased"),
    ("ketamine", "placebo", "patient satisfaction", "Patient satisfaction was significantly higher in the placebo group than in the ketamine group (P = 0.04).", "decreased"),
    ("ketamine", "placebo", "patient satisfaction", "Ketamine did not improve patient satisfaction (P = 0.52).", "no_difference"),
    ("ketamine", "placebo", "patient satisfaction", "Patient satisfaction scores were 8.1 and 8.3, respectively, for the ketamine and placebo groups (P = 0.61).", "no_difference"),
    ("ketamine", "placebo", "time to extubation", "Time to extubation was significantly longer with ketamine than with placebo (14 vs 9 min; P = 0.001).", "increased"),
    ("ketamine", "placebo", "time to extubation", "Extubation was delayed in the ketamine group (P = 0.001).", "increased"),
    ("ketamine", "placebo", "sedation", "Sedation was greater among ketamine recipients (P = 0.003).", "increased"),
    ("ketamine", "placebo", "sedation", "Placebo recipients were less sedated than ketamine recipients (P = 0.003).", "increased"),
    ("ketamine", "placebo", "length of stay", "Length of stay was shortened by a median of 1 day with ketamine (P = 0.02).", "decreased"),
    ("ketamine", "placebo", "length of stay", "Length of stay did not differ significantly between groups (median 4 vs 4 days).", "no_difference"),
    ("ketamine", "placebo", "length of stay", "Length of stay was similar (4 days in each group).", "no_difference"),
    ("physiotherapy", "advice", "disability", "Disability improved more with physiotherapy (mean difference -4.2 points, 95% CI -6.9 to -1.5).", "decreased"),
    ("physiotherapy", "advice", "disability", "Physiotherapy did not lead to a greater improvement in disability than advice (P = 0.35).", "no_difference"),
    ("physiotherapy", "advice", "disability", "The between-group difference in disability was not statistically significant (-1.2 points, 95% CI -3.5 to 1.1).", "no_difference"),
    ("physiotherapy", "advice", "global perceived effect", "More patients in the physiotherapy group reported recovery on the global perceived effect scale (62% vs 40%; P = 0.004).", "increased"),
    ("physiotherapy", "advice", "sick leave", "Days of sick leave were fewer in the physiotherapy group (P = 0.02).", "decreased"),
    ("physiotherapy", "advice", "sick leave", "The advice group took significantly more days of sick leave (P = 0.02).", "decreased"),
    ("physiotherapy", "advice", "cost", "Costs were higher for physiotherapy than for advice (difference 420 euros, 95% CI 210 to 630).", "increased"),
    ("physiotherapy", "advice", "recurrence", "Recurrence within one year was less likely after physiotherapy (hazard ratio 0.60, 95% CI 0.42 to 0.86).", "decreased"),
    ("physiotherapy", "advice", "recurrence", "Recurrence rates did not differ (18% vs 21%, P = 0.55).", "no_difference"),
    ("lidocaine", "saline", "cough", "Cough was significantly reduced by lidocaine compared with saline (P = 0.01).", "decreased"),
    ("lidocaine", "saline", "cough", "Lidocaine, but not saline, reduced cough (P = 0.01).", "decreased"),
    ("lidocaine", "saline", "cough", "Cough with lidocaine was not different from that with saline (P = 0.48).", "no_difference"),
    ("lidocaine", "saline", "cough", "The proportion of patients who coughed was 12.5% (lidocaine) versus 40.0% (saline) (P = 0.003).", "decreased"),
    ("lidocaine", "saline", "cough", "Lidocaine significantly decreased cough (P < 0.05), while saline had no effect.", "decreased"),
    ("lidocaine", "saline", "cough", "The lidocaine group showed significantly less cough compared with the saline group.", "decreased"),
    ("lidocaine", "saline", "cough", "Cough was significantly lower (P < 0.05) in the lidocaine group than in the saline group.", "decreased"),
    ("lidocaine", "saline", "cough", "Although cough was less frequent with lidocaine, the difference was not significant.", "no_difference"),
    ("lidocaine", "saline", "cough", "Lidocaine was as effective as saline in preventing cough.", "no_difference"),
    ("lidocaine", "saline", "cough", "There were fewer episodes of cough with lidocaine (n = 3) than with saline (n = 10; P = 0.04).", "decreased"),
    ("lidocaine", "saline", "heart rate", "Heart rate increased significantly with lidocaine versus saline (P = 0.01).", "increased"),
    ("lidocaine", "saline", "heart rate", "Saline increased heart rate significantly more than lidocaine (P = 0.01).", "decreased"),
    ("lidocaine", "saline", "heart rate", "Lidocaine produced a greater decrease in heart rate than saline (P = 0.01).", "decreased"),
    ("lidocaine", "saline", "heart rate", "Lidocaine led to a smaller increase in heart rate than saline (P = 0.01).", "decreased"),
    ("lidocaine", "saline", "heart rate", "Heart rate was 2-fold higher in the saline group (P = 0.01).", "decreased"),
    ("lidocaine", "saline", "heart rate", "The mean heart rate was significantly lower in patients treated with lidocaine (72) than in those treated with saline (85).", "decreased"),
    ("lidocaine", "saline", "heart rate", "Significantly more patients in the saline group had a heart rate above 100 (P = 0.01).", "decreased"),
    ("lidocaine", "saline", "heart rate", "Heart rate did not differ significantly between the lidocaine and saline groups; however, blood pressure was lower with lidocaine.", "no_difference"),
    ("lidocaine", "saline", "blood pressure", "Heart rate did not differ significantly between the lidocaine and saline groups; however, blood pressure was lower with lidocaine (P = 0.02).", "decreased"),
    ("lidocaine", "saline", "blood pressure", "Lidocaine was non-inferior to saline for blood pressure control.", "no_difference"),
    ("yoga", "stretching", "back function", "Back function improved significantly only in the yoga group (P = 0.01).", "increased"),
    ("yoga", "stretching", "back function", "Yoga participants had better back function than stretching participants at 12 weeks (P = 0.01).", "increased"),
    ("yoga", "stretching", "back function", "Back function scores at 12 weeks were 8.1 for yoga and 6.0 for stretching (P = 0.01).", "increased"),
    ("yoga", "stretching", "back function", "Differences in back function between yoga and stretching were small and not statistically significant.", "no_difference"),
    ("yoga", "stretching", "back function", "Yoga was not superior to stretching for back function (P = 0.21).", "no_difference"),
    ("yoga", "stretching", "symptom bothersomeness", "Symptom bothersomeness was lower in the yoga group than in the stretching group (adjusted mean difference -0.8, 95% CI -1.4 to -0.2).", "decreased"),
    ("yoga", "stretching", "symptom bothersomeness", "Relative to stretching, yoga reduced symptom bothersomeness (P = 0.01).", "decreased"),
    ("yoga", "stretching", "symptom bothersomeness", "The stretching group reported greater symptom bothersomeness (P = 0.01).", "decreased"),
]
_TURNED = {"increased": "decreased", "decreased": "increased", "no_difference": "no_difference"}


@pytest.mark.parametrize("first, second, outcome, sentence, label", PHRASINGS)
def test_a_common_result_phrasing_is_read_in_both_arm_orders(first, second, outcome, sentence, label):
    text = f"A randomised trial\nMETHODS: Adults were randomised to {first} or {second}.\nRESULTS: {sentence}"
    forward = evidence.infer_result(text, intervention=first, comparator=second, outcome=outcome)
    backward = evidence.infer_result(text, intervention=second, comparator=first, outcome=outcome)
    assert (forward.label, backward.label) == (label, _TURNED[label]), (forward, backward)
    assert forward.sentence == sentence


# The same, in abstracts that name the arms in their methods (abbreviations, group numbers, roles):
# (methods sentence, first arm, second arm, outcome, result sentence, label of the first against the second).
NAMED_ARM_PHRASINGS = [
    ("Patients were randomised to electroacupuncture (EA group) or manual acupuncture (MA group).", "electroacupuncture", "manual acupuncture", "pain intensity", "Pain intensity decreased more in the EA group than in the MA group (P = 0.02).", "decreased"),
    ("Patients were randomised to electroacupuncture (EA group) or manual acupuncture (MA group).", "electroacupuncture", "manual acupuncture", "pain intensity", "The MA group had significantly higher pain intensity than the EA group at week 4 (5.2 ± 1.1 vs 4.1 ± 1.3, P = 0.01).", "decreased"),
    ("Group I received bupivacaine and group II received bupivacaine with dexmedetomidine.", "bupivacaine with dexmedetomidine", "bupivacaine", "duration of analgesia", "The duration of analgesia was significantly longer in group II (P < 0.001).", "increased"),
    ("Group I received bupivacaine and group II received bupivacaine with dexmedetomidine.", "bupivacaine with dexmedetomidine", "bupivacaine", "duration of analgesia", "Duration of analgesia was 320 ± 40 min in group I and 510 ± 60 min in group II (P < 0.001).", "increased"),
    ("Group I received bupivacaine and group II received bupivacaine with dexmedetomidine.", "bupivacaine with dexmedetomidine", "bupivacaine", "hypotension", "Hypotension occurred in 4 patients in group I and 5 patients in group II, a difference that was not significant.", "no_difference"),
    ("Women were assigned to the intervention (n = 60) or the control group (n = 58).", "breathing exercises", "routine care", "anxiety scores", "Anxiety scores in the intervention group were significantly lower than those in the controls after the programme (P < 0.001).", "decreased"),
    ("Women were assigned to the intervention (n = 60) or the control group (n = 58).", "breathing exercises", "routine care", "anxiety scores", "After the programme the control group had higher anxiety scores (P < 0.001).", "decreased"),
    ("Children received zinc or placebo for 14 days.", "zinc", "placebo", "duration of diarrhoea", "The mean duration of diarrhoea was 3.1 days with zinc and 4.0 days with placebo (difference -0.9 days, 95% CI -1.5 to -0.3).", "decreased"),
    ("Children received zinc or placebo for 14 days.", "zinc", "placebo", "stool output", "Zinc supplementation was associated with a 20% reduction in stool output (P = 0.03).", "decreased"),
    ("Children received zinc or placebo for 14 days.", "zinc", "placebo", "vomiting", "Vomiting was more frequent in zinc recipients (19% v 8%, P = 0.001).", "increased"),
    ("Children received zinc or placebo for 14 days.", "zinc", "placebo", "vomiting", "Zinc recipients vomited more often than placebo recipients (P = 0.001).", "increased"),
    ("Participants were randomised to high-intensity (HIT) or moderate-intensity training (MIT).", "high-intensity training", "moderate-intensity training", "VO2max", "VO2max increased by 12% after HIT and by 5% after MIT (P for interaction = 0.01).", "increased"),
    ("Participants were randomised to high-intensity (HIT) or moderate-intensity training (MIT).", "high-intensity training", "moderate-intensity training", "VO2max", "HIT resulted in a larger improvement in VO2max than MIT (P = 0.01).", "increased"),
    ("Participants were randomised to high-intensity (HIT) or moderate-intensity training (MIT).", "high-intensity training", "moderate-intensity training", "body fat", "Body fat fell similarly in both groups (P = 0.74 between groups).", "no_difference"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "incidence of shivering", "The incidence of shivering was 10% in group D compared to 45% in group S (P < 0.001).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "incidence of shivering", "Group D had a significantly lower incidence of shivering (10% vs 45%).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "time to first analgesic request", "Time to first analgesic request was significantly prolonged in group D (P < 0.001).", "increased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "onset time of sensory block", "The onset time of sensory block was significantly shorter in group D than in group S (P = 0.002).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "onset of sensory block", "Onset of sensory block was faster in group D than in group S (P = 0.002).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "recovery time", "Recovery was quicker in group S (P = 0.01).", "increased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "rescue analgesia", "Patients in group D required less rescue analgesia than those in group S (P = 0.003).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "rescue analgesia", "The need for rescue analgesia was lower in group D (P = 0.003).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "heart rate", "The rise in heart rate after intubation was significantly attenuated in group D (P < 0.01).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "bradycardia", "Bradycardia was more frequent in group D (20% vs 3%, P = 0.02).", "increased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "sedation scores", "Sedation scores were significantly higher in group D at all time points (P < 0.05).", "increased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "duration of motor block", "The duration of motor block was significantly longer in group D (P < 0.001).", "increased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "PONV", "Postoperative nausea and vomiting (PONV) was less common in group D (P = 0.04).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "emergence agitation", "Emergence agitation occurred less frequently with dexmedetomidine (P = 0.01).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "extubation time", "Extubation time was comparable between groups (P = 0.32).", "no_difference"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "extubation time", "There was no statistically significant difference in extubation time between group D and group S.", "no_difference"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "mean arterial pressure", "Mean arterial pressure remained stable in group D but increased significantly in group S (P < 0.05).", "decreased"),
    ("Patients were randomised to dexmedetomidine (group D) or normal saline (group S).", "dexmedetomidine", "normal saline", "mean arterial pressure", "Compared with group S, mean arterial pressure was significantly lower in group D after intubation (P < 0.05).", "decreased"),
    ("Group A (n = 30) received ketamine; group B (n = 30) received saline.", "ketamine", "saline", "pain scores", "Pain scores were significantly lower in group A than in group B (P < 0.01).", "decreased"),
    ("Patients were divided into two groups: group C (control, saline) and group K (ketamine).", "ketamine", "saline", "pain scores", "Pain scores were significantly lower in group K (P < 0.01).", "decreased"),
    ("Patients were allocated into group L (lidocaine 1.5 mg/kg) and group P (placebo).", "lidocaine", "placebo", "cough", "Cough occurred less often in group L than in group P (15% vs 45%; P = 0.002).", "decreased"),
    ("Group I: ondansetron 4 mg; Group II: granisetron 1 mg.", "granisetron", "ondansetron", "nausea", "Nausea was significantly less in Group II (P = 0.03).", "decreased"),
    ("Patients were randomised to the tramadol group (n = 40) or the ketorolac group (n = 40).", "tramadol", "ketorolac", "vomiting", "Vomiting was more common in the tramadol group (P = 0.01).", "increased"),
    ("Patients received intrathecal morphine (ITM) or intravenous patient-controlled analgesia (IV-PCA).", "intrathecal morphine", "intravenous patient-controlled analgesia", "pruritus", "Pruritus was more frequent in the ITM group than in the IV-PCA group (P < 0.001).", "increased"),
    ("Patients receiving pregabalin (P group) were compared with those receiving placebo (C group).", "pregabalin", "placebo", "anxiety", "Anxiety was significantly reduced in the P group (P = 0.02).", "decreased"),
    ("Sixty patients were randomly assigned to two groups: the study group received acupuncture and the control group received sham acupuncture.", "acupuncture", "sham acupuncture", "leg pain", "Leg pain decreased significantly more in the study group (P = 0.01).", "decreased"),
    ("Children were randomized to receive either oral midazolam (Group M) or oral ketamine (Group K).", "oral ketamine", "oral midazolam", "sedation", "Group K children were significantly more sedated than Group M children (P = 0.03).", "increased"),
    ("Participants were allocated to the exercise arm or the education arm.", "exercise", "education", "fatigue", "Fatigue was lower in the exercise arm than in the education arm at 12 weeks (P = 0.04).", "decreased"),
    ("Patients were randomised to erlotinib or docetaxel.", "erlotinib", "docetaxel", "progression-free survival", "Median progression-free survival was 5.2 months with erlotinib versus 3.4 months with docetaxel (hazard ratio 0.69, 95% CI 0.54 to 0.88; P = 0.003).", "increased"),
    ("Patients were randomised to erlotinib or docetaxel.", "erlotinib", "docetaxel", "overall survival", "Overall survival did not differ significantly (median 9.8 vs 10.1 months; HR 1.02, 95% CI 0.81-1.28).", "no_difference"),
    ("Patients were randomised to erlotinib or docetaxel.", "erlotinib", "docetaxel", "grade 3 or 4 neutropenia", "Grade 3 or 4 neutropenia occurred in 1% of erlotinib-treated and 22% of docetaxel-treated patients.", "decreased"),
    ("Patients were randomised to erlotinib or docetaxel.", "erlotinib", "docetaxel", "objective response rate", "The objective response rate was higher with erlotinib (25% vs 11%; odds ratio 2.7, 95% CI 1.4 to 5.2).", "increased"),
    ("Sixty patients were randomly divided into an observation group treated with warm needle acupuncture and a control group treated with oral medication.", "warm needle acupuncture", "oral medication", "total effective rate", "The total effective rate in the observation group was 93.3% (28/30), which was higher than 76.7% (23/30) of the control group (P < 0.05).", "increased"),
    ("Sixty patients were randomly divided into an observation group treated with warm needle acupuncture and a control group treated with oral medication.", "warm needle acupuncture", "oral medication", "VAS score", "After treatment, the VAS score of the observation group was lower than that in the controls (P < 0.05).", "decreased"),
    ("Sixty patients were randomly divided into an observation group treated with warm needle acupuncture and a control group treated with oral medication.", "warm needle acupuncture", "oral medication", "JOA score", "After treatment, the JOA scores in both groups were increased (both P < 0.05), and the score in the observation group was higher than that of the controls (P < 0.05).", "increased"),
    ("Sixty patients were randomly divided into an observation group treated with warm needle acupuncture and a control group treated with oral medication.", "warm needle acupuncture", "oral medication", "serum IL-6", "After treatment, serum IL-6 levels were decreased in both groups (P < 0.05), with a more significant reduction in the observation group (P < 0.05).", "decreased"),
    ("Sixty patients were randomly divided into an observation group treated with warm needle acupuncture and a control group treated with oral medication.", "warm needle acupuncture", "oral medication", "recurrence rate", "The recurrence rate of the observation group was 6.7%, lower than 26.7% of the control group (P < 0.05).", "decreased"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "sleep quality", "Sleep quality, anxiety and depression showed no significant between-group differences.", "no_difference"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "anxiety", "Sleep quality, anxiety and depression showed no significant between-group differences.", "no_difference"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "leg pain", "Leg pain, back pain and disability all improved significantly more with acupuncture (all P < 0.01).", "decreased"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "disability", "Leg pain, back pain and disability all improved significantly more with acupuncture (all P < 0.01).", "decreased"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "walking time", "Walking time increased with acupuncture (P = 0.01) but not with celecoxib (P = 0.40).", "increased"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "gastrointestinal upset", "Gastrointestinal upset was reported only in the celecoxib group (9 vs 0 patients, P = 0.003).", "decreased"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "leg pain", "Acupuncture was not associated with lower leg pain than celecoxib (P = 0.62).", "no_difference"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "leg pain", "No differences between acupuncture and celecoxib were detected for leg pain at any time point.", "no_difference"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "leg pain", "Leg pain at 4 weeks was not significantly different between groups (mean difference 0.3, 95% CI -0.4 to 1.0).", "no_difference"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "leg pain", "The groups did not differ in leg pain (P > 0.05).", "no_difference"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "leg pain", "Leg pain decreased significantly in both groups (P < 0.001), with no significant difference between them (P = 0.48).", "no_difference"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "leg pain", "Leg pain scores were equivalent in the two arms.", "no_difference"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "satisfaction", "Satisfaction was high in both arms and did not differ (P = 0.71).", "no_difference"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "quality of life", "Quality of life improved more after acupuncture than after celecoxib (SF-36 physical component 8.2 vs 4.1 points, P = 0.02).", "increased"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "quality of life", "Celecoxib was associated with poorer quality of life than acupuncture (P = 0.02).", "increased"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "leg pain", "Leg pain relief was significantly greater with acupuncture (P = 0.01).", "decreased"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "pain relief", "Pain relief was significantly greater with acupuncture (P = 0.01).", "increased"),
    ("Patients were randomised to acupuncture or celecoxib.", "acupuncture", "celecoxib", "analgesic intake", "Analgesic intake was reduced by half in the acupuncture group but unchanged in the celecoxib group (P = 0.004 between groups).", "decreased"),
    ("A total of 90 patients were randomly allocated to receive 0.1 mg/kg morphine (M group) or 1 mg/kg tramadol (T group).", "tramadol", "morphine", "respiratory depression", "Respiratory depression was significantly less frequent in the T group than the M group (2.2% vs 15.6%, P = 0.03).", "decreased"),
    ("Patients were randomized into two groups: Group I (n = 40) received intravenous paracetamol and Group II (n = 40) received intravenous ketorolac.", "intravenous ketorolac", "intravenous paracetamol", "pain scores", "Pain scores at 6 h were significantly lower in Group II compared to Group I (P = 0.004).", "decreased"),
    ("Patients were randomized to receive either spinal anaesthesia with bupivacaine 0.5% (group B) or levobupivacaine 0.5% (group L).", "levobupivacaine", "bupivacaine", "hypotension", "Hypotension was observed in 35% of group B and 15% of group L patients (P = 0.03).", "decreased"),
    ("Subjects were assigned to a low-fat diet (LF) or a low-carbohydrate diet (LC).", "low-carbohydrate diet", "low-fat diet", "weight loss", "Weight loss at 6 months was greater with LC than with LF (-5.8 vs -1.9 kg; P = 0.002).", "increased"),
    ("Subjects were assigned to a low-fat diet (LF) or a low-carbohydrate diet (LC).", "low-carbohydrate diet", "low-fat diet", "triglycerides", "LC participants had greater decreases in triglycerides (P = 0.001).", "decreased"),
    ("Subjects were assigned to a low-fat diet (LF) or a low-carbohydrate diet (LC).", "low-carbohydrate diet", "low-fat diet", "HDL cholesterol", "HDL cholesterol increased more in the LC group (P = 0.01).", "increased"),
    ("Infants were randomized to kangaroo care (KC) or standard incubator care (SIC).", "kangaroo care", "standard incubator care", "breastfeeding at discharge", "Exclusive breastfeeding at discharge was more common in the KC group (78% vs 52%; RR 1.5, 95% CI 1.2-1.9).", "increased"),
    ("Infants were randomized to kangaroo care (KC) or standard incubator care (SIC).", "kangaroo care", "standard incubator care", "hypothermia", "Hypothermia was less frequent with KC (RR 0.35, 95% CI 0.22-0.57).", "decreased"),
    ("Infants were randomized to kangaroo care (KC) or standard incubator care (SIC).", "kangaroo care", "standard incubator care", "length of hospital stay", "Length of hospital stay was shorter for KC infants (median 12 vs 16 days; P = 0.02).", "decreased"),
    ("Women were randomised to misoprostol or oxytocin.", "misoprostol", "oxytocin", "postpartum haemorrhage", "Postpartum haemorrhage (≥500 ml) occurred in 8.0% of women receiving misoprostol and 6.4% of those receiving oxytocin (RR 1.25, 95% CI 0.98-1.60).", "no_difference"),
    ("Women were randomised to misoprostol or oxytocin.", "misoprostol", "oxytocin", "shivering", "Shivering was significantly more common with misoprostol (RR 3.2, 95% CI 2.4-4.2).", "increased"),
    ("Women were randomised to misoprostol or oxytocin.", "misoprostol", "oxytocin", "blood loss", "Mean blood loss did not differ significantly (misoprostol 310 ml versus oxytocin 296 ml).", "no_difference"),
]


@pytest.mark.parametrize("methods, first, second, outcome, sentence, label", NAMED_ARM_PHRASINGS)
def test_arms_named_in_the_methods_are_read_in_both_arm_orders(methods, first, second, outcome, sentence, label):
    text = f"A randomised trial\nMETHODS: {methods}\nRESULTS: {sentence}"
    forward = evidence.infer_result(text, intervention=first, comparator=second, outcome=outcome)
    backward = evidence.infer_result(text, intervention=second, comparator=first, outcome=outcome)
    assert (forward.label, backward.label) == (label, _TURNED[label]), (forward, backward)
