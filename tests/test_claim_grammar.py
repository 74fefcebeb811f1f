"""The claim grammar: direction (who is claimed better), claim kinds, certainty words, subclasses, bodies."""

from __future__ import annotations

import pytest

from evidence.outputs.claims.grammar import parse_claim
from evidence.errors import ClaimError
from evidence.topic.model import load_topic

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def topic():
    return load_topic()


# (claim, reversed, subject words when reversed, comparator classes)
DIRECTION = [
    ("Yoga is better than acupuncture", True, "Yoga", ("physiotherapy",)),
    ("Painkillers work better than acupuncture", True, "Painkillers", ("drug",)),
    ("Acupuncture is better than yoga", False, None, ("physiotherapy",)),
    ("Nerve blocks beat acupuncture for leg pain", True, "Nerve blocks", ("nerve_block",)),
    ("Acupuncture beats nerve blocks for leg pain", False, None, ("nerve_block",)),
    # Passive voice turns the reading round.
    ("Nerve blocks are outperformed by acupuncture", False, None, ("nerve_block",)),
    ("Acupuncture is outperformed by epidural injections", True, "epidural injections", ("epidural_steroid_injection",)),
    # "Worse", "less effective" and "riskier" say the other treatment is better or safer.
    ("Acupuncture is less effective than epidural injections", True, "epidural injections", ("epidural_steroid_injection",)),
    ("Nerve blocks are worse than acupuncture", False, None, ("nerve_block",)),
    ("Acupuncture is riskier than nerve blocks", True, "nerve blocks", ("nerve_block",)),
    ("Nerve blocks are safer than acupuncture", True, "Nerve blocks", ("nerve_block",)),
    # A comparison marker before acupuncture makes it the object, whatever comes first.
    ("Compared with nerve blocks, acupuncture gives more relief", False, None, ("nerve_block",)),
    ("Compared with acupuncture, nerve blocks give more relief", True, "nerve blocks", ("nerve_block",)),
    ("Nerve blocks are as effective as acupuncture", True, "Nerve blocks", ("nerve_block",)),
    ("For sciatica, physiotherapy works better than acupuncture", True, "physiotherapy", ("physiotherapy",)),
    ("Chiropractic is better than dry needling", True, "Chiropractic", ("physiotherapy",)),
]


@pytest.mark.parametrize("claim, is_reversed, subject, classes", DIRECTION)
def test_the_direction_of_a_claim(topic, claim, is_reversed, subject, classes):
    parsed = parse_claim(claim, topic)
    assert parsed.reversed is is_reversed
    assert parsed.comparator_classes == classes
    assert parsed.subject == (subject if is_reversed else parsed.intervention.replace("_", " "))


@pytest.mark.parametrize("claim, kind, claim_kinds", [
    ("Acupuncture works for sciatica", "superior", ("efficacy",)),
    ("Acupuncture is better than drugs", "superior", ("comparative_efficacy",)),
    ("Acupuncture has fewer side effects than nerve blocks", "safer", ("safety",)),
    ("Acupuncture is safe", "safe", ("safety",)),
    ("Acupuncture has no side effects", "safe", ("safety",)),
    ("Acupuncture never causes side effects", "safe", ("safety",)),
    ("Acupuncture gives long-term relief", "superior", ("efficacy", "durability")),
    ("The relief lasts for years", "superior", ("efficacy", "durability")),
    ("Acupuncture cures sciatica", "superior", ("efficacy", "cure")),
    ("Six to ten sessions are needed", "no_data", ("dose",)),
    ("Acupuncture twice a week works best", "no_data", ("dose",)),
    ("Acupuncture is cheaper than injections", "no_data", ("cost",)),
    ("Chronic sciatica usually needs eight to twelve acupuncture treatments", "no_data", ("dose",)),
    ("Acupuncture treats sciatica without drugs or side effects", "safe", ("safety",)),
    ("Acupuncture is cost-effective", "no_data", ("cost",)),
    ("NICE recommends acupuncture for sciatica", "recommended", ("recommendation",)),
    ("Acupuncture should be the first treatment for sciatica", "first_line", ("recommendation",)),
])
def test_claim_kinds(topic, claim, kind, claim_kinds):
    parsed = parse_claim(claim, topic)
    assert (parsed.kind, parsed.claim_kinds) == (kind, claim_kinds)


def test_no_side_effects_is_a_safety_claim_not_a_negation(topic):
    assert not parse_claim("Acupuncture has no side effects", topic).negated
    assert not parse_claim("Acupuncture never causes side effects", topic).negated
    assert parse_claim("Acupuncture does not work", topic).negated
    assert parse_claim("Acupuncture is no better than sham", topic).negated
    assert parse_claim("Acupuncture is ineffective for sciatica", topic).negated


@pytest.mark.parametrize("claim, words", [
    ("Acupuncture is clinically proven to relieve sciatica", ("clinically proven",)),
    ("Acupuncture is scientifically proven", ("scientifically proven",)),
    ("Acupuncture guarantees relief", ("guarantees",)),
    ("Acupuncture works 100% of the time", ("100%",)),
    ("Acupuncture relieves sciatica", ()),
])
def test_certainty_words(topic, claim, words):
    assert parse_claim(claim, topic).certainty_words == words


@pytest.mark.parametrize("claim, subclass", [
    ("Acupuncture is better than NSAIDs", "nsaid"),
    ("Acupuncture is better than ibuprofen", "nsaid"),
    ("Opioids work better than acupuncture", "opioid"),
    ("Acupuncture beats gabapentin", "gabapentinoid"),
    ("Pregabalin is better than acupuncture", "gabapentinoid"),
    ("Acupuncture is better than oral steroids", "steroid"),
    ("Acupuncture is better than painkillers", None),
])
def test_drug_subclasses(topic, claim, subclass):
    parsed = parse_claim(claim, topic)
    assert parsed.drug_subclass == subclass and parsed.comparator_classes == ("drug",)


def test_a_steroid_injection_is_an_injection_not_a_drug_subclass(topic):
    parsed = parse_claim("Acupuncture is better than epidural steroid injections", topic)
    assert parsed.comparator_classes == ("epidural_steroid_injection",) and parsed.drug_subclass is None


def test_named_bodies(topic):
    assert parse_claim("NICE recommends acupuncture for sciatica", topic).bodies == ("NICE",)
    assert parse_claim("The World Health Organization endorses acupuncture", topic).bodies == ("WHO",)
    assert parse_claim("Acupuncture is recommended for sciatica", topic).bodies == ()


def test_forms_are_read(topic):
    assert parse_claim("Trigger point needling is better than injections", topic).forms == ("dry_needling",)
    assert parse_claim("Acupotomy combined with epidural injections works better than injections alone", topic).add_on


def test_a_claim_naming_no_treatment_is_read_as_acupuncture(topic):
    parsed = parse_claim("Six to ten sessions are needed", topic)
    assert parsed.assumed_intervention and parsed.intervention == "acupuncture"


@pytest.mark.parametrize("text, message", [
    ("Epidural injections work better than drugs", "names no acupuncture"),
    ("Acupuncture and sciatica", "no comparison"),
    ("", "empty"),
    ("   ", "empty"),
])
def test_claims_out_of_scope_raise(topic, text, message):
    with pytest.raises(ClaimError, match=message):
        parse_claim(text, topic)


@pytest.mark.parametrize("claim, universal", [
    ("Acupuncture outperforms all other treatments for sciatica", True),
    ("Acupuncture is the best treatment for sciatica", True),
    ("Acupuncture works better than everything else", True),
    ("Acupuncture is better than any other treatment", True),
    ("Acupuncture is at least as effective as other treatments for sciatica", True),
    ("Acupuncture is better than conventional treatments", True),
    ("Acupuncture beats all drugs for sciatica", True),
    ("Acupuncture is better than nerve blocks", False),
    ("Acupuncture beats injections for leg pain", False),
    ("Acupuncture plus conventional treatment works better than conventional treatment alone", False),
    ("Acupuncture twice a week works best", False),
])
def test_universal_claims(topic, claim, universal):
    parsed = parse_claim(claim, topic)
    assert parsed.universal is universal, parsed.matched


def test_outcome_names_come_from_the_topic(topic, tmp_path):
    assert topic.outcome_labels()["odi"] == "Oswestry Disability Index"
    assert topic.outcome_labels()["leg_pain_nrs"] == "leg pain (0-10 NRS)"
    # Another topic file (the invented one of tests/test_topics.py) with its [outcomes] replaced.
    fake = (FIXTURES / "fake_topic" / "topic.toml").read_text(encoding="utf-8")
    before, _, after = fake.partition("\n[outcomes.")
    after = after[after.index("\n[certainty]"):]
    path = tmp_path / "t.toml"
    path.write_text(before + '\n[outcomes.odi]\nname = "ODI score"\n' + after, encoding="utf-8")
    assert load_topic(path).outcome_labels() == {"odi": "ODI score"}
    bare = tmp_path / "bare.toml"
    bare.write_text(before + "\n[outcomes]\n" + after, encoding="utf-8")
    assert load_topic(bare).outcome_labels() == {}
