"""One matcher over one set of vocabularies: the extractor and the claim checker read the topic's words alike."""

from __future__ import annotations

import pytest

from evidence.errors import TopicError
from evidence.extract.findings import extract_pico
from evidence.outputs.claims.grammar import Vocabulary as ClaimVocabulary, parse_claim
from evidence.topic.matcher import sentence_mentions, vocabulary
from evidence.topic.model import load_topic

from .conftest import FIXTURES

FIRST = load_topic("acupuncture_sciatica")
ESI = load_topic("epidural_steroid_sciatica")


def test_claims_read_the_forms_and_classes_the_extractor_reads():
    shared = vocabulary(FIRST)
    claims = ClaimVocabulary.from_topic(FIRST)
    assert [label for label, _, _ in claims.forms] == [label for label, _, _ in shared.interventions]
    # A claim label standing for one class matches with that class's own compiled searchers.
    drug = shared.comparator_class("drug")
    assert drug and set(drug) <= set(claims.comparators["drug"][0])
    assert not set(drug) & set(claims.comparators["injections"][0])  # a label for several classes adds none


def test_a_word_listed_only_in_vocab_is_read_in_claims_too():
    # "mecobalamin" and "eperisone" are listed once, under [vocab.comparator.drug].
    assert "mecobalamin" not in str(FIRST.section("claims"))
    parsed = parse_claim("Acupuncture works better than mecobalamin for sciatica", FIRST)
    assert parsed.comparator_classes == ("drug",)
    # "conventional acupuncture" is a [vocab.intervention] phrase for the manual form.
    assert parse_claim("Conventional acupuncture beats nerve blocks", FIRST).forms == ("manual",)


def test_words_only_claims_use_stay_out_of_abstracts():
    shared = vocabulary(FIRST)
    sentence = "Patients took painkillers and pills as needed."
    assert not [m for m in sentence_mentions(sentence, shared) if m.kind == "comparator"]
    assert parse_claim("Acupuncture works better than painkillers", FIRST).comparator_classes == ("drug",)


def test_the_intervention_is_named_by_the_topic():
    parsed = parse_claim("Epidural steroid injections relieve sciatica", ESI)
    assert parsed.intervention == ESI.intervention and parsed.any_form
    # A form the topic marks as generic for claims ("lumbar epidural ...", no route named) is not a route.
    lumbar = parse_claim("Lumbar epidural steroid injections relieve sciatica", ESI)
    assert lumbar.forms == () and lumbar.intervention == "epidural steroid injection"
    route = parse_claim("Transforaminal injections work better than surgery", ESI)
    assert route.intervention == "transforaminal" and not route.any_form
    assert parse_claim("Acupuncture relieves sciatica", FIRST).intervention == "acupuncture"


def test_two_forms_compared_use_the_topics_own_form_class():
    text = "Patients were randomized to transforaminal versus interlaminar epidural steroid injection."
    # The ESI topic has no class for another form of the intervention: none is invented.
    assert ESI.intervention_form_classes == ()
    assert "other_acupuncture" not in extract_pico(text, ESI).comparator_classes
    first = "Patients were randomized to electroacupuncture versus manual acupuncture."
    assert FIRST.intervention_form_classes == ("other_acupuncture",)
    assert extract_pico(first, FIRST).comparator_classes == ["other_acupuncture"]


def test_a_claim_form_unknown_to_the_vocabulary_is_a_topic_error(tmp_path):
    text = (FIXTURES / "fake_topic" / "topic.toml").read_text(encoding="utf-8")
    bad = tmp_path / "topic.toml"
    bad.write_text(text.replace("[claims.form_names]", "[claims.intervention]\nlaser_lumen = ['\\blaser\\b']\n\n[claims.form_names]"),
                   encoding="utf-8")
    with pytest.raises(TopicError, match="laser_lumen"):
        ClaimVocabulary.from_topic(load_topic(bad))


def test_a_bad_vocabulary_pattern_is_a_topic_error(tmp_path):
    text = (FIXTURES / "fake_topic" / "topic.toml").read_text(encoding="utf-8")
    bad = tmp_path / "topic.toml"
    bad.write_text(text.replace("patterns = ['\\binsoles?\\b'", "patterns = ['(insoles'"), encoding="utf-8")
    # The topic is checked when it loads, naming the key, before any matcher compiles it.
    with pytest.raises(TopicError, match=r"vocab\.comparator\.insoles\.patterns.*not a regular expression"):
        vocabulary(load_topic(bad))


def test_messages_name_the_topics_intervention():
    from evidence.errors import ClaimError

    with pytest.raises(ClaimError, match="names no epidural steroid injection"):
        parse_claim("Acupuncture works better than surgery", ESI)
    with pytest.raises(ClaimError, match="names no acupuncture"):
        parse_claim("Epidural injections work better than drugs", FIRST)


def test_a_finding_without_a_form_is_named_by_its_topic():
    assert ClaimVocabulary.from_topic(FIRST).form_name(None) == "acupuncture (form not stated)"
    esi = ClaimVocabulary.from_topic(ESI)
    assert esi.form_name(None) == "epidural steroid injection (route not stated)"
    # The forms that mean the injection in general are never counted as one specific route.
    assert esi.general_forms == ("epidural_unspecified",)
