"""Claims a writer really makes, on the real snapshot and on invented trials: verdicts they must get
and must never get, reversals and paraphrases included; review GRADE grades, forms, machine rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from click.testing import CliRunner

import evidence
from evidence.outputs.claims.compare import combine
from evidence.outputs.claims.check import VERDICTS, PartVerdict, SynthesisCache, check_claim, parse_claim
from evidence.cli import cli
from evidence.tables.snapshot import check_snapshot, snapshot_dir
from evidence.topic.model import load_topic

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = json.loads((Path(evidence.__file__).parent / "outputs" / "claims" / "verdict.schema.json").read_text(encoding="utf-8"))
FOR = {"supported", "partly_supported"}
STRONG = {"supported", "contradicted"}


@pytest.fixture(scope="module")
def topic():
    return load_topic()


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not (snapshot_dir() / "studies.jsonl").exists():
        pytest.skip("data/snapshot is not present")
    return evidence.load(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def trials(tmp_path_factory):
    return evidence.load(tmp_path_factory.mktemp("store"), snapshot_folder=FIXTURES / "claims" / "trials")


# (claim, the verdict it must get or None when several are defensible, verdicts it must never get).
# The real snapshot has no direct comparison with an injection above very low certainty, no
# long-term, cost or dose data, guidelines covering sciatica that recommend against acupuncture,
# and reviews (mostly ungraded) favouring acupuncture over drugs and physiotherapy.
REAL_CLAIMS = [
    # Injections and nerve blocks, both directions.
    ("Acupuncture outperforms epidural steroid injections for sciatica", "insufficient_evidence", FOR),
    ("Epidural steroid injections work better than acupuncture", "insufficient_evidence", FOR),
    ("Acupuncture is better than nerve blocks for sciatica", None, FOR),
    ("Nerve blocks are better than acupuncture for sciatica", None, STRONG),
    ("Nerve blocks are outperformed by acupuncture", None, FOR),
    ("Acupuncture is less effective than nerve blocks", None, STRONG),
    ("Compared with nerve blocks, acupuncture gives more relief", None, FOR),
    ("Acupuncture beats injections for leg pain", None, FOR),
    ("Injections beat acupuncture for leg pain", None, STRONG),
    ("Some forms of acupuncture outperform nerve blocks or injections", None, FOR),
    ("Acupuncture is as good as epidural injections", "insufficient_evidence", FOR),
    ("Epidural injections are as good as acupuncture", "insufficient_evidence", FOR),
    ("Nerve blocks are as effective as acupuncture", None, STRONG),
    # Universal claims: every comparator class must hold; the only nerve-block trial favours the
    # block, and epidural injection and surgery were never compared directly.
    ("Acupuncture is at least as effective as other treatments for sciatica", "not_supported", FOR),
    ("Acupuncture outperforms all other treatments for sciatica", "not_supported", FOR),
    ("Acupuncture is the best treatment for sciatica", "not_supported", FOR),
    ("Acupuncture works better than everything else for sciatica", "not_supported", FOR),
    ("Acupuncture is better than any other treatment for sciatica", "not_supported", FOR),
    ("Acupuncture is better than conventional treatments for sciatica", "not_supported", FOR),
    ("Nothing beats acupuncture for sciatica", "not_supported", FOR),
    ("Other treatments work better than acupuncture for sciatica", None, FOR),
    ("Everything else works better than acupuncture", None, FOR),
    # Safety, comparative and absolute.
    ("Acupuncture has fewer side effects than nerve blocks", "insufficient_evidence", FOR),
    ("Nerve blocks are safer than acupuncture", "insufficient_evidence", FOR),
    ("Acupuncture is riskier than epidural injections", "insufficient_evidence", FOR),
    ("Acupuncture has fewer side effects", "insufficient_evidence", FOR),
    ("Acupuncture is safe", None, {"supported", "insufficient_evidence"}),
    ("Acupuncture is safe for sciatica", None, {"supported", "insufficient_evidence"}),
    ("Acupuncture has no side effects", "contradicted", FOR),
    ("Acupuncture is completely safe", "contradicted", FOR),
    ("Acupuncture is harmless", "contradicted", FOR),
    ("Acupuncture never causes side effects", "contradicted", FOR),
    ("Bee venom acupuncture is safe", None, FOR),
    # Recommendations, with and without a named body.
    ("Acupuncture should be the first treatment for chronic sciatica pain", "contradicted", FOR),
    ("Acupuncture is the treatment of choice for sciatica", "contradicted", FOR),
    ("Acupuncture is recommended for sciatica", None, FOR),
    ("NICE recommends acupuncture for sciatica", "contradicted", FOR),
    ("The WHO recommends acupuncture for sciatica", None, {"supported"}),
    ("The American College of Physicians recommends acupuncture", None, {"supported"}),
    # Reversals against drugs, physiotherapy, surgery; drug subclasses.
    ("Yoga is better than acupuncture", None, FOR),
    ("Painkillers work better than acupuncture", None, FOR),
    ("Physiotherapy works better than acupuncture", None, FOR),
    ("Chiropractic is better than acupuncture for sciatica", None, FOR),
    ("NSAIDs are better than acupuncture for sciatica", None, FOR),
    ("Pregabalin works better than acupuncture", None, FOR | {"contradicted"}),
    ("Acupuncture is better than painkillers", None, {"supported", "contradicted"}),
    ("Acupuncture is better than yoga", None, {"supported", "contradicted"}),
    ("Acupuncture is better than pregabalin", None, {"supported", "contradicted"}),
    ("Acupuncture is safer than nerve blocks", "insufficient_evidence", FOR),
    ("Epidural injections have fewer side effects than acupuncture", "insufficient_evidence", FOR),
    ("Acupuncture works better than drugs for sciatica", None, {"supported", "contradicted"}),
    ("Acupuncture is better than NSAIDs", None, {"supported", "contradicted"}),
    ("Acupuncture is better than ibuprofen for sciatica pain", None, {"supported", "contradicted"}),
    ("Acupuncture outperforms opioids for sciatica", None, {"supported", "contradicted"}),
    ("Acupuncture is better than gabapentin for sciatica", None, {"supported", "contradicted"}),
    ("Acupuncture is better than physiotherapy for sciatica", None, {"supported", "contradicted"}),
    ("Acupuncture is better than surgery for sciatica", "insufficient_evidence", FOR),
    ("Surgery is better than acupuncture for sciatica", "insufficient_evidence", FOR),
    # Efficacy against sham, and its negations.
    ("Acupuncture works for sciatica", None, {"contradicted", "insufficient_evidence"}),
    ("Acupuncture relieves sciatica pain", None, {"contradicted", "insufficient_evidence"}),
    ("Real acupuncture works better than placebo", None, {"contradicted", "insufficient_evidence"}),
    ("Acupuncture does not work for sciatica", None, FOR),
    ("Acupuncture is no better than sham for sciatica", None, FOR),
    ("Acupuncture is ineffective for sciatica", None, FOR),
    # Certainty words and cures: never supported below high certainty.
    ("Acupuncture is clinically proven to relieve sciatica", None, FOR),
    ("Acupuncture is proven to work for sciatica", None, FOR),
    ("Acupuncture is scientifically proven", None, FOR),
    ("Acupuncture is scientifically proven to beat epidural injections", None, FOR),
    ("Acupuncture guarantees relief from sciatica", None, FOR),
    ("Acupuncture works 100% of the time for sciatica", None, FOR),
    ("Acupuncture cures sciatica", None, FOR),
    ("Acupuncture can cure sciatica permanently", None, FOR),
    ("Acupuncture gets rid of sciatica for good", None, FOR),
    # Long term: no result after 26 weeks in the snapshot.
    ("Acupuncture gives long-term relief of sciatica", "insufficient_evidence", FOR),
    ("The relief from acupuncture lasts for years", "insufficient_evidence", FOR),
    ("Acupuncture provides permanent relief of sciatica", "insufficient_evidence", FOR),
    ("Acupuncture gives lasting relief compared with injections", "insufficient_evidence", FOR),
    # Kinds without data: never refused, never answered as another question.
    ("Six to ten sessions are needed", "insufficient_evidence", set(VERDICTS) - {"insufficient_evidence"}),
    ("You need six to ten acupuncture sessions for sciatica", "insufficient_evidence", FOR),
    ("Acupuncture twice a week works best", "insufficient_evidence", FOR),
    ("Acupuncture is cheaper than injections", "insufficient_evidence", FOR),
    ("Acupuncture is cost-effective for sciatica", "insufficient_evidence", FOR),
    ("Acupuncture saves money compared with surgery", "insufficient_evidence", FOR),
    # Forms of acupuncture.
    ("Electroacupuncture relieves sciatica pain", "insufficient_evidence", FOR),
    ("Electroacupuncture is better than sham", "insufficient_evidence", FOR),
    ("Electroacupuncture works better than physiotherapy for leg pain", None, {"supported"}),
    ("Dry needling outperforms steroid injections for piriformis syndrome", None, {"supported"}),
    ("Trigger point needling is better than injections", None, {"supported"}),
    ("Warm needling is better than drugs for sciatica", None, {"supported"}),
    ("Acupotomy combined with epidural injections works better than injections alone", None, {"supported"}),
    ("Acupuncture added to a nerve block relieves pain better than the block alone", None, {"supported"}),
    ("Adding acupuncture to epidural steroid injections improves pain more than the injection alone", None, {"supported"}),
    # Paraphrases (our own words) of claims seen on clinic and health-writing pages through the
    # search tool; each was misread by an earlier version of the grammar.
    ("Chronic sciatica usually needs eight to twelve acupuncture treatments", "insufficient_evidence", FOR),
    ("Acupuncture pain relief lasts twelve months or more", "insufficient_evidence", FOR),
    ("Over time acupuncture gives longer-lasting or even permanent relief", "insufficient_evidence", FOR),
    ("Acupuncture treats sciatica without drugs or side effects", "contradicted", FOR),
    ("Acupuncture is more effective than opioids for sciatica", None, {"supported", "contradicted"}),
    ("Acupuncture has fewer adverse effects than NSAIDs", "insufficient_evidence", FOR),
    ("Acupuncture plus conventional treatment works better than conventional treatment alone", None, {"supported"}),
    ("Acupuncture promotes healing of herniated discs", None, FOR),
    ("Acupuncture is as effective as massage, heat therapy and electrical stimulation", None, {"supported"}),
    ("Acupuncture relieves sciatica within two or three sessions", "insufficient_evidence", FOR),
    ("Acupuncture is FDA approved for sciatica", "insufficient_evidence", FOR),
    ("Acupuncture is a natural alternative to cortisone shots with fewer side effects", "insufficient_evidence", FOR),
]


def test_at_least_sixty_claims_are_checked():
    assert len(REAL_CLAIMS) >= 60 and len({c for c, _, _ in REAL_CLAIMS}) == len(REAL_CLAIMS)


@pytest.mark.parametrize("claim, must, must_not", REAL_CLAIMS)
def test_real_claims_get_a_documented_verdict_and_never_a_wrong_one(real, topic, claim, must, must_not):
    result = check_claim(claim, real, topic)
    jsonschema.validate(json.loads(result.to_json()), SCHEMA)
    assert result.verdict in VERDICTS
    assert result.verdict not in must_not, (claim, result.verdict, result.reasons)
    if must:
        assert result.verdict == must, (claim, result.verdict, result.reasons)
    assert result.reasons and result.supported_wording


def test_a_reversal_is_never_read_in_interventions_favour(real, topic):
    for claim, mirror in [("Yoga is better than acupuncture", "Acupuncture is better than yoga"),
                          ("Painkillers work better than acupuncture", "Acupuncture works better than painkillers")]:
        reversed_claim, plain = check_claim(claim, real, topic), check_claim(mirror, real, topic)
        assert reversed_claim.parsed.reversed and not plain.parsed.reversed
        assert plain.verdict in FOR and reversed_claim.verdict in ("not_supported", "contradicted")
        # What counts for one is what counts against the other.
        assert {i.study_id for i in plain.evidence_for} == {i.study_id for i in reversed_claim.evidence_against}
        assert "acupuncture" in reversed_claim.supported_wording.lower()


# Reversals and paraphrases on invented trials, where the right verdict is exact: two moderate
# trials favour acupuncture over epidural injections, two favour the nerve block, two drug trials
# found no difference.
TRIAL_CLAIMS = [
    ("Acupuncture outperforms epidural steroid injections for leg pain", "supported"),
    ("Epidural injections work better than acupuncture for leg pain", "contradicted"),
    ("Epidural steroid injections are outperformed by acupuncture for leg pain", "supported"),
    ("Nerve blocks are better than acupuncture for leg pain", "supported"),
    ("Acupuncture is less effective than nerve blocks for leg pain", "supported"),
    ("Acupuncture is better than nerve blocks for leg pain", "contradicted"),
    ("Nerve blocks are outperformed by acupuncture for leg pain", "contradicted"),
    ("Acupuncture is not better than nerve blocks for leg pain", "supported"),
    ("Acupuncture does not outperform epidural steroid injections for leg pain", "contradicted"),
    ("Acupuncture is proven to beat epidural injections for leg pain", "not_supported"),
    ("Acupuncture cures leg pain better than epidural injections", "not_supported"),
    ("Acupuncture gives long-term relief of leg pain compared with epidural injections", "insufficient_evidence"),
    # The CIs rule out a 10-point harm to acupuncture, not to the drugs.
    ("Acupuncture is at least as effective as drugs for pain", "partly_supported"),
    ("Drugs are at least as effective as acupuncture for pain", "not_supported"),
]


@pytest.mark.parametrize("claim, verdict", TRIAL_CLAIMS)
def test_direction_and_strength_on_invented_trials(trials, topic, claim, verdict):
    result = check_claim(claim, trials, topic)
    jsonschema.validate(json.loads(result.to_json()), SCHEMA)
    assert result.verdict == verdict, (claim, result.reasons)


def test_proven_says_what_the_evidence_does_show(trials, topic):
    result = check_claim("Acupuncture is proven to beat epidural injections for leg pain", trials, topic)
    assert "'proven'" in result.reasons[0] and "moderate certainty" in result.reasons[0]
    assert "What it does show: Moderate-certainty evidence shows" in result.supported_wording


def test_sessions_are_not_answered_as_acupuncture_versus_sham(real, topic):
    result = check_claim("Six to ten sessions are needed", real, topic)
    assert result.parts == [] and "sham" not in result.parsed.comparator_classes
    assert not result.evidence_for and not result.evidence_against
    assert any("sessions" in r for r in result.reasons) and any("Dose" in r for r in result.reasons)


def test_electroacupuncture_names_the_sham_trials_of_other_forms(real, topic):
    result = check_claim("Electroacupuncture relieves sciatica pain", real, topic)
    text = " ".join(result.reasons)
    assert "No study compared acupuncture" not in text
    assert "No study compared electroacupuncture directly with sham" in text
    others = [i for i in result.context if i.comparison == "acupuncture vs sham"]
    assert others and all(i.form != "electroacupuncture" for i in others)
    assert "studies of other forms of acupuncture made this comparison" in text
    assert "Tu 2024" in text


def test_review_grade_is_used_and_the_form_is_named(real, topic):
    result = check_claim("Acupotomy combined with epidural injections works better than injections alone", real, topic)
    review = [i for i in result.evidence_for + result.evidence_neutral if i.study_id == "doi:10.1016/j.eujim.2025.102504"]
    assert review and {i.certainty for i in review} == {"very_low"}
    assert all(i.form == "acupotomy (needle-knife)" for i in review)
    assert "acupotomy (needle-knife)" in result.evidence_forms
    assert not any("no GRADE rating" in c and "2025" in c for c in result.caveats)
    # A claim about acupuncture in general says the evidence is on one form.
    general = check_claim("Adding acupuncture to epidural steroid injections improves pain more than the injection alone", real, topic)
    assert general.evidence_forms == ["acupotomy (needle-knife)"]
    assert "acupotomy (needle-knife) only" in general.supported_wording


def test_an_ungraded_review_is_called_so_and_a_graded_one_is_not(real, topic):
    result = check_claim("Acupuncture works better than drugs for sciatica", real, topic)
    by_id = {i.study_id: i.certainty for i in result.evidence_for}
    assert by_id["36845439"] == "moderate"  # graded by its own authors
    assert by_id["26425130"] == "not_graded"  # no grade seen anywhere
    # A moderate grade on an 'effective rate' alone never makes the claim supported.
    assert result.verdict == "partly_supported" and "effective rate" in " ".join(result.reasons)


def test_a_drug_class_no_study_used_is_said_and_lowers_the_verdict(real, topic):
    result = check_claim("Pregabalin works better than acupuncture", real, topic)
    assert any("drugs in general" in r for r in result.reasons)
    nsaid = check_claim("Acupuncture is better than ibuprofen for sciatica pain", real, topic)
    assert any("restricted to NSAIDs" in r for r in nsaid.reasons)
    assert {i.study_id for i in nsaid.evidence_for} == {"29496679"}


def _machine_made(tables: dict) -> dict:
    """The invented trials as if extracted automatically by `evidence classify`."""
    out = dict(tables)
    for name in ("studies", "findings"):
        frame = tables[name].copy()
        frame["provenance"] = pd.array(["auto"] * len(frame), dtype="string")
        out[name] = frame
    return out


def test_machine_extracted_results_never_support_without_the_caveat(trials, topic):
    claim = "Acupuncture outperforms epidural steroid injections for leg pain"
    curated = check_claim(claim, trials, topic)
    machine = check_claim(claim, _machine_made(trials), topic)
    assert not any("machine-extracted" in c for c in curated.caveats)
    assert machine.verdict in FOR
    assert machine.caveats[0].startswith("Every result behind this verdict is machine-extracted, not verified")
    assert all(i.provenance == "auto" and not i.verified and "machine-extracted, not verified" in i.why
               for i in machine.evidence_for)
    assert "[machine-extracted, not verified]" in machine.to_text()


def test_the_cache_is_reused_and_follows_the_evidence(trials, topic, tmp_path):
    cache = SynthesisCache.for_data_dir(tmp_path)
    first = check_claim("Acupuncture outperforms epidural steroid injections for leg pain", trials, topic, cache=cache)
    entries = sorted(p.name for p in (tmp_path / "cache" / "claims").iterdir())
    assert entries and all(e.endswith((".json", ".parquet")) for e in entries)
    # A new process (a new cache object) reads the stored entry and answers the same.
    again = check_claim("Acupuncture outperforms epidural steroid injections for leg pain", trials, topic,
                        cache=SynthesisCache.for_data_dir(tmp_path))
    assert again.to_dict() == first.to_dict()
    assert sorted(p.name for p in (tmp_path / "cache" / "claims").iterdir()) == entries
    # Changed findings give a new key: the stale entry is never read.
    changed = dict(trials)
    changed["findings"] = trials["findings"].assign(estimate=trials["findings"]["estimate"] * -1,
                                                    ci_low=trials["findings"]["ci_high"] * -1,
                                                    ci_high=trials["findings"]["ci_low"] * -1)
    flipped = check_claim("Acupuncture outperforms epidural steroid injections for leg pain", changed, topic,
                          cache=SynthesisCache.for_data_dir(tmp_path))
    assert flipped.verdict == "contradicted"


def test_a_corrupt_cache_entry_is_computed_again(trials, topic, tmp_path):
    cache_dir = tmp_path / "cache" / "claims"
    check_claim("Acupuncture is better than nerve blocks for leg pain", trials, topic, cache=SynthesisCache(cache_dir))
    for entry in cache_dir.glob("*.parquet"):
        entry.write_bytes(b"not parquet")
    result = check_claim("Acupuncture is better than nerve blocks for leg pain", trials, topic, cache=SynthesisCache(cache_dir))
    assert result.verdict == "contradicted"


def test_review_grades_are_checked(tmp_path):
    folder = tmp_path / "snap"
    folder.mkdir()
    for name in ("studies.jsonl", "findings.jsonl"):
        (folder / name).write_text((snapshot_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    rows = [
        {"study_id": "39401008", "pmid": "39401008", "outcome": "odi", "comparison": "acupuncture vs sham",
         "grade": "high", "source_url": "https://example.org/a", "note": "a trial, not a review"},
        {"study_id": "26425130", "pmid": "26425130", "outcome": "pain_intensity", "comparison": "acupuncture vs tea",
         "grade": "strong", "source_url": "", "note": ""},
        {"study_id": "26425130", "pmid": "26425130", "outcome": "effective_rate"},
    ]
    (folder / "review_grades.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    problems = check_snapshot(folder)
    assert any("keys differ" in p for p in problems)
    rows.pop()
    (folder / "review_grades.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    problems = check_snapshot(folder)
    assert any("is a rct, not a review" in p for p in problems)
    assert any("grade 'strong'" in p for p in problems)
    assert any("comparison 'acupuncture vs tea'" in p for p in problems)
    assert any("needs a source_url" in p for p in problems)
    assert check_snapshot(snapshot_dir()) == []


def test_cli_json_is_always_one_object(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["claim", "Painkillers work better than acupuncture", "--json", "--data-dir", str(tmp_path)],
                       catch_exceptions=False)
    assert ok.exit_code == 0 and json.loads(ok.output)["parsed"]["reversed"] is True
    for text in ("Epidural injections work better than drugs", "Acupuncture and sciatica", ""):
        bad = runner.invoke(cli, ["claim", text, "--json", "--data-dir", str(tmp_path)], catch_exceptions=False)
        assert bad.exit_code != 0
        data = json.loads(bad.stdout)
        assert set(data) == {"claim", "error"} and data["error"]
    plain = runner.invoke(cli, ["claim", "Acupuncture and sciatica", "--data-dir", str(tmp_path)], catch_exceptions=False)
    assert plain.exit_code != 0 and plain.stderr.startswith("error: ") and plain.stdout == ""
    # The synthesis is cached under the data dir, never in the package.
    assert list((tmp_path / "cache" / "claims").glob("*.json"))
    assert not list(Path(evidence.__file__).parent.rglob("cache"))


def test_a_universal_claim_says_which_class_favoured_which_side(real, topic):
    result = check_claim("Acupuncture outperforms all other treatments for sciatica", real, topic)
    assert result.parsed.universal and result.verdict == "not_supported"
    # The verdict rests on the class that favoured the other side, at that class's certainty.
    assert result.certainty == "very_low"
    wording = result.supported_wording
    assert "nerve block: favoured nerve block (very low certainty)" in wording
    assert "drug: favoured acupuncture (ungraded review estimates)" in wording
    assert "Never compared directly with acupuncture: epidural steroid injection and surgery." in wording
    assert "each of nerve block, epidural steroid injection" in wording


def test_universal_claims_on_invented_trials(trials, topic):
    # Moderate-certainty trials favour the nerve block: a claim to beat everything is contradicted.
    result = check_claim("Acupuncture outperforms all other treatments for leg pain", trials, topic)
    assert result.verdict == "contradicted" and result.certainty == "moderate"
    # The same evidence leaves a claim about some treatments at most partly supported.
    assert check_claim("Acupuncture outperforms epidural steroid injections for leg pain", trials, topic).verdict == "supported"
    best = check_claim("Acupuncture is the best treatment for leg pain", trials, topic)
    assert best.verdict == "contradicted" and "nerve block: favoured nerve block (moderate certainty)" in best.supported_wording
    as_good = check_claim("Acupuncture is at least as effective as other treatments for pain", trials, topic)
    assert as_good.parsed.universal and as_good.verdict == "contradicted"
    assert "drug: acupuncture no worse (low certainty)" in as_good.supported_wording
    assert "Never compared directly with acupuncture: usual care and surgery." in as_good.supported_wording


def _part(cls: str, verdict: str, certainty: str) -> PartVerdict:
    return PartVerdict(cls, verdict, certainty, "")


def test_combine_holds_a_universal_claim_to_its_weakest_class():
    leaning = [_part("drug", "partly_supported", "not_graded"), _part("physiotherapy", "supported", "moderate")]
    untested = leaning + [_part("surgery", "insufficient_evidence", "no_evidence")]
    against_low = leaning + [_part("nerve_block", "contradicted", "low")]
    against_moderate = leaning + [_part("nerve_block", "contradicted", "moderate")]
    no_difference = leaning + [_part("nerve_block", "not_supported", "low")]
    assert combine(untested) == "partly_supported" and combine(untested, universal=True) == "insufficient_evidence"
    assert combine(leaning, universal=True) == "partly_supported"
    assert combine(against_low, universal=True) == "not_supported"
    assert combine(against_moderate, universal=True) == "contradicted"
    assert combine(no_difference) == "partly_supported" and combine(no_difference, universal=True) == "not_supported"
    every = [_part("drug", "supported", "moderate"), _part("physiotherapy", "supported", "high")]
    assert combine(every, universal=True) == "supported"


def test_an_effective_rate_grade_never_lends_certainty(real, topic):
    result = check_claim("Acupuncture is better than painkillers", real, topic)
    # The moderate grade belongs to Zhang 2023's 'effective rate' only; the pain results are ungraded.
    assert any(i.certainty == "moderate" and i.outcome == "effective_rate" for i in result.evidence_for)
    assert result.verdict == "partly_supported" and result.certainty == "not_graded"
    assert any("'effective rate' is not used" in r for r in result.certainty_reasons)
    assert "moderate" not in result.supported_wording


@pytest.mark.parametrize("claim", [c for c, _, _ in REAL_CLAIMS])
def test_a_verdicts_certainty_comes_from_a_result_that_decides_it(real, topic, claim):
    result = check_claim(claim, real, topic)
    if not result.parts or result.certainty in ("no_evidence", "very_low"):
        return  # no grade to borrow; very low is also what a lone 'effective rate' counts as
    surrogates = set(topic.section("claims")["outcome"]["effectiveness"]["surrogate"])
    items = result.evidence_for + result.evidence_against + result.evidence_neutral
    assert any(i.certainty == result.certainty and i.outcome not in surrogates for i in items), (claim, result.certainty)


def _untraceable(tables: dict, study_ids) -> dict:
    """The tables with these studies' title, PMID and DOI removed."""
    out = dict(tables)
    studies = tables["studies"].copy()
    gone = studies["study_id"].isin(list(study_ids))
    for column in ("title", "pmid", "doi"):
        studies[column] = studies[column].astype(object).where(~gone, None)
    findings = tables["findings"].copy()
    findings["pmid"] = findings["pmid"].astype(object).where(~findings["study_id"].isin(list(study_ids)), None)
    out["studies"], out["findings"] = studies, findings
    return out


def test_an_untraced_study_never_supports_a_verdict(trials, topic):
    claim = "Acupuncture outperforms epidural steroid injections for leg pain"
    assert check_claim(claim, trials, topic).verdict == "supported"
    result = check_claim(claim, _untraceable(trials, ["99001001", "99001002"]), topic)
    jsonschema.validate(json.loads(result.to_json()), SCHEMA)
    assert result.verdict == "insufficient_evidence" and not result.evidence_for
    assert {i.study_id for i in result.untraced} == {"99001001", "99001002"}
    assert all(i.label == "an untraced study (no title or identifier)" for i in result.untraced)
    text = result.to_text()
    assert "Could not be traced" in text and "99001001" not in text


def test_an_untraced_study_never_disproves_a_safety_claim(real, topic):
    claim = "Acupuncture has no side effects"
    reporting = {i.study_id for i in check_claim(claim, real, topic).evidence_against}
    assert check_claim(claim, real, topic).verdict == "contradicted" and reporting
    result = check_claim(claim, _untraceable(real, reporting), topic)
    assert result.verdict == "insufficient_evidence" and not result.evidence_against
    assert {i.study_id for i in result.untraced} == reporting


_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\bodi\b|\bref:\S+|PMID (\d+) \(PMID \1\)")


@pytest.mark.parametrize("claim", [c for c, _, _ in REAL_CLAIMS])
def test_readers_see_names_not_codes(real, topic, claim):
    result = check_claim(claim, real, topic)
    shown = result.to_text().split("\nReferences:")[0]
    data = result.to_dict()
    items = [i for key in ("evidence_for", "evidence_against", "evidence_neutral", "context", "untraced") for i in data[key]]
    prose = [data["supported_wording"], *data["reasons"], *data["caveats"], *data["certainty_reasons"],
             *(p["reason"] for p in data["parts"]),
             *(i[k] or "" for i in items for k in ("label", "effect", "why", "outcome_name", "measure_name"))]
    for text in (shown, *prose):
        assert not _CODE.search(text), (claim, _CODE.search(text).group(0), text)
    # The machine fields keep their codes beside the names.
    for i in items:
        assert i["outcome_name"] == topic.outcome_labels().get(i["outcome"], i["outcome"].replace("_", " "))


def test_outcome_and_measure_names_in_the_text(real, topic):
    text = check_claim("Acupuncture outperforms all other treatments for sciatica", real, topic).to_text()
    assert "Oswestry Disability Index" in text and "between-group comparison without an effect size" in text
    assert "investigator-judged 'effective rate'" in text
    assert "PMID 29496679, acupuncture" in text and "(PMID 29496679)" not in text
    assert "untitled" not in text


def _pairs(claims: list[str], topic) -> list[tuple[str, str]]:
    """Claims that say X is better (or safer) than Y, each with its mirror Y better than X."""
    def key(parsed):
        return (parsed.kind, parsed.forms, parsed.comparator_classes, parsed.outcome_families, parsed.drug_subclass,
                parsed.claim_kinds, parsed.add_on, parsed.universal)
    parsed = {c: parse_claim(c, topic) for c in claims}
    plain = [c for c, p in parsed.items() if p.kind in ("superior", "safer") and not p.negated and not p.certainty_words]
    return [(a, b) for a in plain for b in plain
            if not parsed[a].reversed and parsed[b].reversed and key(parsed[a]) == key(parsed[b])]


def _consistent(one: str, other: str) -> bool:
    if one in FOR and other in FOR:
        return False
    return not ("supported" in (one, other)) or {one, other} - {"supported"} <= {"not_supported", "contradicted"}


def test_reversal_pairs_never_lean_both_ways(real, trials, topic):
    checked = 0
    for tables, claims in ((real, [c for c, _, _ in REAL_CLAIMS]), (trials, [c for c, _ in TRIAL_CLAIMS])):
        for a, b in _pairs(claims, topic):
            va, vb = check_claim(a, tables, topic).verdict, check_claim(b, tables, topic).verdict
            assert _consistent(va, vb), (a, va, b, vb)
            checked += 1
    assert checked >= 15


def test_the_pair_rule_rejects_what_it_must():
    assert not _consistent("partly_supported", "partly_supported")
    assert not _consistent("supported", "partly_supported")
    assert not _consistent("supported", "insufficient_evidence")
    assert _consistent("supported", "contradicted") and _consistent("partly_supported", "not_supported")


def test_context_studies_for_a_claim_with_no_data_are_named_for_readers(tmp_path):
    # A study with no PMID touching on sessions is named by its title, never by its internal ref: id.
    import shutil
    folder = tmp_path / "snap"
    shutil.copytree(snapshot_dir(), folder)
    lines = (folder / "studies.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0]) | {"study_id": "ref:dose-test", "pmid": None, "doi": None, "pmcid": None,
                                  "title": "Sessions of needling compared",
                                  "notes": "Compared 6 with 12 sessions of acupuncture."}
    (folder / "studies.jsonl").write_text("\n".join(lines + [json.dumps(row)]) + "\n", encoding="utf-8")
    tables = evidence.load(tmp_path / "store", snapshot_folder=folder)
    text = check_claim("Twelve sessions of acupuncture are needed", tables, load_topic()).to_text()
    assert "Sessions of needling compared (no PMID or DOI)" in text
    assert "ref:" not in text


def test_a_safety_verdict_takes_the_highest_grade_of_its_harm_findings(trials, topic, monkeypatch):
    # Two comparisons found more adverse events with acupuncture; the verdict's certainty is the
    # better of their grades by rank. Taking max() of the grade names picked "very_low" over
    # "high" (alphabetical order).
    from evidence.outputs.claims import compare
    from evidence.synthesize.certainty import Certainty

    findings = trials["findings"]
    harms = findings[findings["study_id"].isin(["99001001", "99001003"])].drop_duplicates("study_id").copy()
    harms = harms.assign(outcome="adverse_events", measure="RR", estimate=2.0, ci_low=1.2, ci_high=3.5,
                         lower_is_better=True, direction="favours_comparator", timepoint="4 weeks")
    tables = {**trials, "findings": pd.concat([findings, harms], ignore_index=True)}
    graded = {"99001001": "high", "99001003": "very_low"}
    real_grade = compare.Evidence.certainty_of

    def grade(self, row):
        if row["outcome"] == "adverse_events" and row["study_id"] in graded:
            return Certainty(graded[row["study_id"]], ("set by the test",))
        return real_grade(self, row)

    monkeypatch.setattr(compare.Evidence, "certainty_of", grade)
    result = check_claim("Acupuncture is safe", tables, topic)
    assert result.verdict == "not_supported"
    assert result.certainty == "high"
    graded.update({"99001001": "low", "99001003": "moderate"})
    assert check_claim("Acupuncture is safe", tables, topic).certainty == "moderate"
