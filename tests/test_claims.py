"""Claim checking: parsing, every verdict on invented snapshots, the JSON schema, the real snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import evidence
from evidence.outputs.claims.check import VERDICTS, check_claim, parse_claim
from evidence.tables.snapshot import check_snapshot, snapshot_dir
from evidence.topic.model import load_topic

FIXTURES = Path(__file__).parent / "fixtures"
CLAIMS = FIXTURES / "claims"
SCHEMA = json.loads((Path(evidence.__file__).parent / "outputs" / "claims" / "verdict.schema.json").read_text(encoding="utf-8"))
MARKETING = {
    "as_effective": "Acupuncture is at least as effective as other treatments for sciatica",
    "outperforms_injections": "Some forms of acupuncture outperform nerve blocks or injections",
    "side_effects": "Acupuncture has fewer side effects",
    "first_treatment": "Acupuncture should be the first treatment for chronic sciatica pain",
}


@pytest.fixture(scope="module")
def topic():
    return load_topic()


def _tables(folder: str, tmp_path_factory) -> dict:
    path = CLAIMS / folder
    assert check_snapshot(path) == []
    return evidence.load(tmp_path_factory.mktemp("store"), snapshot_folder=path)


@pytest.fixture(scope="module")
def trials(tmp_path_factory):
    """The invented trials, with the retraction of 99000003 from the PubMed fixture."""
    tables = _tables("trials", tmp_path_factory)
    records = evidence.read_pubmed(FIXTURES / "pubmed_sample.xml")
    tables["corrections"] = records["corrections"]
    return tables


def _valid(verdict):
    jsonschema.validate(json.loads(verdict.to_json()), SCHEMA)
    return verdict


def test_parse_reads_forms_comparators_outcomes_and_strength(topic):
    parsed = parse_claim("Electroacupuncture is at least as effective as nerve blocks or injections for leg pain", topic)
    assert parsed.intervention == "electroacupuncture" and parsed.forms == ("electroacupuncture",)
    assert parsed.kind == "noninferior" and parsed.strength == "noninferior"
    assert set(parsed.comparator_classes) == {"nerve_block", "epidural_steroid_injection", "other_injection"}
    assert parsed.outcome_families == ("pain",)
    safer = parse_claim("Acupuncture has fewer side effects", topic)
    assert safer.kind == "safer" and safer.outcome_families == ("adverse_events",)
    assert "surgery" in safer.comparator_classes  # no comparator named: every active treatment
    assert parse_claim("Acupuncture should be the first treatment for sciatica", topic).kind == "first_line"
    assert parse_claim("Acupuncture is as effective as drugs", topic).kind == "noninferior"


TRIAL_CASES = [
    # Two large trials against epidural injections, moderate certainty.
    ("Acupuncture outperforms epidural steroid injections for leg pain", "supported", "moderate"),
    # Two large trials favour the nerve block.
    ("Acupuncture is better than nerve blocks for leg pain", "contradicted", "moderate"),
    # No difference: superiority fails; the CIs exclude a 10-point harm, but only at low certainty.
    ("Acupuncture is better than drugs for pain", "not_supported", "low"),
    ("Acupuncture is at least as effective as drugs for pain", "partly_supported", "low"),
    # One small, single-centre, unverified trial cannot support "outperforms".
    ("Dry needling outperforms trigger point injections for pain", "insufficient_evidence", "very_low"),
    # Supported for one comparator, nothing for the other.
    ("Acupuncture outperforms epidural injections and surgery for pain", "partly_supported", "moderate"),
    ("Acupuncture has fewer side effects than epidural injections", "insufficient_evidence", "no_evidence"),
]
GUIDELINE_CASES = [
    ("guidelines_against", "Acupuncture should be the first choice for sciatica", "contradicted"),
    ("guidelines_first_line", "Acupuncture should be the first choice for sciatica", "supported"),
    ("guidelines_option", "Acupuncture should be the first choice for sciatica", "partly_supported"),
    ("guidelines_option", "Acupuncture is recommended for sciatica", "supported"),
    ("trials", "Acupuncture should be the first choice for sciatica", "insufficient_evidence"),
]


def test_the_cases_reach_every_verdict():
    reached = {v for _, v, _ in TRIAL_CASES} | {v for _, _, v in GUIDELINE_CASES}
    assert reached == set(VERDICTS)


@pytest.mark.parametrize("claim, verdict, certainty", TRIAL_CASES)
def test_verdicts_on_invented_trials(trials, topic, claim, verdict, certainty):
    result = _valid(check_claim(claim, trials, topic))
    assert (result.verdict, result.certainty) == (verdict, certainty)
    assert result.reasons and result.supported_wording


def test_supported_verdict_carries_numbers_pmids_and_citations(trials, topic):
    result = check_claim("Acupuncture outperforms epidural steroid injections for leg pain", trials, topic)
    assert [e.pmid for e in result.evidence_for] == ["99001001", "99001002"]
    first = result.evidence_for[0]
    assert (first.estimate, first.ci_low, first.ci_high, first.n) == (-12.0, -16.0, -8.0, 300)
    assert "MD -12 (95% CI -16 to -8)" in first.effect and first.source_url.startswith("https://")
    assert first.citation.startswith("van der Berg A, Nguyễn TL.")
    assert set(result.citations) == {"99001001", "99001002"}
    assert result.evidence_against == [] and result.supported_wording.startswith("Moderate-certainty evidence")


def test_contradicting_evidence_is_listed_against(trials, topic):
    result = check_claim("Acupuncture is better than nerve blocks for leg pain", trials, topic)
    assert [e.pmid for e in result.evidence_against] == ["99001003", "99001004"]
    assert result.evidence_for == []


def test_retracted_study_never_counts_and_is_flagged(trials, topic):
    result = _valid(check_claim("Acupuncture relieves pain better than physiotherapy", trials, topic))
    assert result.verdict == "insufficient_evidence"
    assert result.evidence_for == []
    [shown] = result.context
    assert shown.pmid == "99000003" and shown.flags[0].startswith("[RETRACTED:")
    assert "[RETRACTED:" in shown.citation and any("retracted" in c for c in result.caveats)


@pytest.mark.parametrize("folder, claim, verdict", GUIDELINE_CASES)
def test_recommendation_claims_need_guidelines(tmp_path_factory, topic, folder, claim, verdict):
    result = _valid(check_claim(claim, _tables(folder, tmp_path_factory), topic))
    assert result.verdict == verdict and result.certainty == "not_graded"


def test_low_back_pain_guidelines_are_context_not_sciatica_support(tmp_path_factory, topic):
    result = check_claim("Acupuncture should be the first choice for sciatica", _tables("guidelines_against", tmp_path_factory), topic)
    stances = {g.study_id: (g.stance, g.scope) for g in result.guidelines}
    assert stances == {"99002001": ("against", "condition"), "99002002": ("first_line", "broader")}
    assert any("low back pain in general" in r for r in result.reasons)


def test_summary_frame_and_text(trials, topic):
    result = check_claim("Acupuncture outperforms epidural injections and surgery for pain", trials, topic)
    frame = result.summary_frame()
    assert list(frame["role"].unique()) == ["for"]
    text = result.to_text()
    assert "Verdict: partly supported" in text and "PMID 99001001" in text and "References:" in text


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not (snapshot_dir() / "studies.jsonl").exists():
        pytest.skip("data/snapshot is not present")
    return evidence.load(tmp_path_factory.mktemp("store"))


def test_marketing_claims_on_the_real_snapshot(real, topic):
    results = {k: _valid(check_claim(text, real, topic)) for k, text in MARKETING.items()}
    # No direct comparison is graded above very low, so nothing here may come out "supported".
    assert all(r.verdict != "supported" for r in results.values())
    # "Outperforms" injections: no moderate evidence for acupuncture, one trial favours the block.
    outperform = results["outperforms_injections"]
    assert outperform.verdict in ("not_supported", "insufficient_evidence")
    assert all(p.certainty in ("very_low", "no_evidence") for p in outperform.parts)
    # Side effects: no study counted them in both arms; single-arm series are context only.
    side = results["side_effects"]
    assert side.verdict == "insufficient_evidence" and not side.evidence_for and side.context
    # "First treatment": guidelines covering sciatica (NICE NG59, Danish) recommend against.
    first = results["first_treatment"]
    assert first.verdict == "contradicted"
    assert any("NG59" in (g.title or "") and g.stance == "against" for g in first.guidelines)
    # "At least as effective": never more than partly supported, and the gaps are named.
    effective = results["as_effective"]
    assert effective.verdict in ("partly_supported", "insufficient_evidence", "not_supported")
    assert {"epidural_steroid_injection", "surgery"} <= {p.comparator_class for p in effective.parts
                                                         if p.verdict == "insufficient_evidence"}


def test_summary_frame_keeps_its_columns_with_no_evidence(tmp_path):
    import evidence
    from evidence.outputs.claims.check import check_claim
    from evidence.topic.model import load_topic

    empty = evidence.load(tmp_path, snapshot=False)
    verdict = check_claim("Acupuncture outperforms nerve blocks for sciatica", empty, load_topic())
    frame = verdict.summary_frame()
    assert frame.empty
    assert {"role", "label", "pmid", "comparison", "outcome", "effect", "direction", "certainty", "verified"} <= set(frame.columns)
    assert verdict.verdict == "insufficient_evidence"


def test_add_on_claims_are_judged_on_add_on_trials():
    import evidence
    from evidence.outputs.claims.check import check_claim, parse_claim
    from evidence.topic.model import load_topic

    topic = load_topic()
    parsed = parse_claim("Acupuncture added to a nerve block relieves pain better than the block alone", topic)
    assert parsed.add_on and parsed.comparator_classes == ("nerve_block",)
    assert not parse_claim("Acupuncture relieves pain better than nerve blocks", topic).add_on
    tables = evidence.load(snapshot=True)
    add_on = check_claim("Acupuncture added to a nerve block relieves pain better than the block alone", tables, topic)
    direct = {i.study_id for i in add_on.evidence_for + add_on.evidence_against + add_on.evidence_neutral}
    head_to_head = check_claim("Acupuncture relieves pain better than nerve blocks", tables, topic)
    direct_h2h = {i.study_id for i in head_to_head.evidence_for + head_to_head.evidence_against + head_to_head.evidence_neutral}
    assert direct and direct_h2h and not direct & direct_h2h  # the two questions rest on different trials
    # The answer names the form studied, not just "acupuncture".
    assert "added manual acupuncture to nerve block" in add_on.reasons[0]
    assert "adding acupuncture to nerve block" in add_on.supported_wording.lower()


def test_a_guideline_without_a_position_is_never_read_as_one():
    from evidence.outputs.claims.check import Vocabulary
    from evidence.outputs.claims.guidelines import acupuncture_statement as _acupuncture_statement
    from evidence.topic.model import load_topic

    vocab = Vocabulary.from_topic(load_topic())
    silent = "ACUPUNCTURE: listed among treatments of unknown efficacy - no recommendation for or against. EPIDURAL: small benefit."
    assert _acupuncture_statement(silent, vocab)[0] == "no_recommendation"
    against = "ACUPUNCTURE: do not offer acupuncture for low back pain with or without sciatica. EPIDURAL: consider."
    assert _acupuncture_statement(against, vocab)[0] == "against"
    favour = "ACUPUNCTURE: may be offered as part of a package of care for radicular pain."
    assert _acupuncture_statement(favour, vocab)[0] == "for"


def test_vas_margin_never_treats_a_0_to_10_scale_as_0_to_100():
    from evidence.outputs.claims.check import Vocabulary
    from evidence.outputs.claims.compare import within_margin as _within_margin
    from evidence.topic.model import load_topic

    margins = Vocabulary.from_topic(load_topic()).margins
    row = {"measure": "MD", "outcome": "leg_pain_vas", "lower_is_better": True}
    # 0-10 cm VAS: a CI reaching 4 points of harm is far beyond any non-inferiority margin.
    assert not _within_margin({**row, "ci_low": -2.0, "ci_high": 4.0}, margins)
    assert _within_margin({**row, "ci_low": -2.0, "ci_high": 0.5}, margins)
    # 0-100 mm VAS: harm up to 6 mm is inside the 10 mm margin.
    assert _within_margin({**row, "ci_low": -20.0, "ci_high": 6.0}, margins)
    assert not _within_margin({**row, "ci_low": -20.0, "ci_high": 14.0}, margins)


def test_apa_references_belong_to_their_study_even_without_a_title(real, topic):
    # APA sorts its list, and some snapshot studies have no title to match a text back by.
    result = check_claim("Acupuncture is better than sham for sciatica", real, topic, style="apa")
    assert result.citations and all(text for text in result.citations.values())
    untitled = {k: v for k, v in result.citations.items() if k.startswith("ref:untitled")}
    assert all("no title" in v for v in untitled.values())


def test_outcome_outside_the_vocabulary_is_shown_by_its_words_as_machine_extracted():
    from evidence.outputs.claims.grammar import Vocabulary
    vocab = Vocabulary.from_topic(load_topic())
    name = vocab.outcome_name("other: sleep quality")
    assert name.startswith("sleep quality") and "machine-extracted" in name
    # A code the topic names keeps the topic's name.
    assert vocab.outcome_name("odi") != "odi" and "machine-extracted" not in vocab.outcome_name("odi")
