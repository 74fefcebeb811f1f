"""The structural arm reader (evidence.extract.allocation): arms read from how the groups were formed.

Every text here is invented. Each test states what the reader must return for one structure of
prose, and the cases where it must give up (None) so the mention-based reading decides.
"""

from __future__ import annotations

import re

import pytest

from evidence.extract.allocation import Arm, arms_of_sentences, groups_given, read_arms
from evidence.extract.findings import analysed_sentences, extract_pico
from evidence.extract.text import record_text
from evidence.topic.matcher import vocabulary
from evidence.topic.model import load_topic


@pytest.fixture(scope="module")
def acu():
    return vocabulary(load_topic("acupuncture_sciatica"))


@pytest.fixture(scope="module")
def esi():
    return vocabulary(load_topic("epidural_steroid_sciatica"))


def read(vocab, abstract: str, title: str = "A trial for sciatica"):
    return read_arms(analysed_sentences(record_text(title, abstract), vocab), vocab)


@pytest.mark.parametrize("abstract, classes", [
    ("METHODS: Sixty adults were randomly assigned to acupuncture or sham acupuncture for six weeks.", ["sham"]),
    ("METHODS: Patients were randomised to electroacupuncture (n = 31), oral celecoxib (n = 30) or a waiting list (n = 29).",
     ["drug", "waiting_list"]),
    ("METHODS: We randomly allocated 48 people with leg pain to warm needling or to lumbar traction.", ["physiotherapy"]),
])
def test_allocation_statement_is_cut_into_arms(acu, abstract, classes):
    arms = read(acu, abstract)
    assert arms is not None and arms.how == "allocation"
    assert arms.comparator_classes == classes
    assert arms.add_on is None


def test_arms_described_one_by_one_with_an_add_on(acu):
    abstract = ("Methods: Seventy cases were allocated at random to two arms. Those in the control arm took oral "
                "ibuprofen, while those in the needling arm were given acupuncture on top of the control treatment.")
    arms = read(acu, abstract)
    assert arms is not None and arms.how == "arm_descriptions"
    assert arms.comparator_classes == ["drug"]
    assert arms.add_on is True


def test_title_versus_is_the_last_resort(acu):
    arms = read(acu, "We report pain scores at twelve weeks.", title="Electroacupuncture versus physiotherapy for sciatica")
    assert arms is not None and arms.how == "title_versus"
    assert arms.comparator_classes == ["physiotherapy"]


def test_no_allocation_statement_gives_none(acu):
    assert read(acu, "Forty patients with sciatica were given acupuncture weekly and followed for three months.") is None


def test_arm_whose_treatment_is_unknown_gives_none(acu):
    # "plum-blossom tapping" is in no vocabulary: which arm is studied cannot be told from the words.
    abstract = ("Methods: Ninety patients were randomly divided into three groups. The tapping group was treated with "
                "plum-blossom tapping; the electroacupuncture group was treated with electroacupuncture; the drug group "
                "was treated with oral diclofenac.")
    assert read(acu, abstract) is None


def test_two_arms_in_one_description_gives_none(acu):
    abstract = ("Methods: The needling group received acupuncture alone or with herbal injection, "
                "and the usual care group received physiotherapy.")
    assert read(acu, abstract) is None


def test_every_arm_given_the_steroid_has_no_comparator_class(esi):
    abstract = ("METHODS: Eighty patients were randomly assigned to transforaminal epidural steroid injection or "
                "interlaminar epidural steroid injection.")
    assert read(esi, abstract) is None


def test_injection_topic_local_anaesthetic_arm_is_the_control(esi):
    abstract = ("METHODS: Patients were randomised to a caudal epidural steroid injection (n = 40) or a caudal "
                "injection of local anaesthetic (n = 40).")
    arms = read(esi, abstract)
    assert arms is not None
    assert arms.comparator_classes == ["other_injection"]


def test_plain_arm_named_as_only_makes_the_combination_the_studied_arm(acu):
    arms = [Arm("acupuncture combined with traction", frozenset({"physiotherapy"}), True, frozenset({"manual"})),
            Arm("acupuncture only", frozenset(), True, frozenset({"manual"})),
            Arm("traction only", frozenset({"physiotherapy"}), False)]
    result = arms_of_sentences(arms, acu, "test")
    assert result is not None and result.comparator_classes == ["physiotherapy"] and result.add_on is True


def test_plain_arm_not_named_as_only_is_the_studied_arm(acu):
    arms = [Arm("acupuncture", frozenset(), True, frozenset({"manual"})),
            Arm("acupuncture with a low dose of tramadol", frozenset({"drug"}), True, frozenset({"manual"})),
            Arm("the full dose of tramadol", frozenset({"drug"}), False)]
    result = arms_of_sentences(arms, acu, "test")
    assert result is not None and result.comparator_classes == ["drug"] and result.add_on is None


def test_two_needling_arms_are_another_form(acu):
    arms = [Arm("deep needling", frozenset(), True, frozenset({"manual"})),
            Arm("shallow needling", frozenset(), True, frozenset({"manual"}))]
    result = arms_of_sentences(arms, acu, "test")
    assert result is not None and result.comparator_classes == ["other_acupuncture"]


def test_structural_reading_decides_the_pico_classes(acu):
    # The background names a drug and an injection; only the arms formed count.
    text = record_text("Acupuncture for sciatica", (
        "BACKGROUND: Drugs and epidural injections are often used for sciatica. METHODS: Patients were randomly "
        "assigned to acupuncture or sham acupuncture. Rescue analgesics were allowed in both groups."))
    pico = extract_pico(text, load_topic("acupuncture_sciatica"))
    assert pico.comparator_classes == ["sham"]
    assert pico.rules["comparators"] == "arms:allocation"


# The one reader of "the X group received Y" (allocation.groups_given), shared by the structural
# arm reader and by evidence.extract.arms (named groups, role groups).
@pytest.mark.parametrize("text, name, noun, label, what", [
    ("The needle-knife group (n = 40) was treated with manual release.", "needle-knife", "group", None, "manual release"),
    ("Patients in the ESP arm were given a single block.", "ESP", "arm", None, "a single block"),
    ("Group B, which had received oral tablets, improved.", "", "group", "B", "oral tablets, improved"),
    ("The observation group with moxibustion plus traction.", "observation", "group", None, "moxibustion plus traction"),
    ("The tuina combined with needling group took both for a month.", "tuina combined with needling", "group", None, "both for a month"),
    ("Group C comprised 30 patients who received saline.", "", "group", "C", "saline"),
])
def test_groups_given_reads_each_wording(text, name, noun, label, what):
    (given,) = groups_given(text)
    assert (given.name, given.noun, given.label) == (name, noun, label)
    assert text[given.start:given.end].rstrip(".") == what


@pytest.mark.parametrize("text", [
    "The sham group included 25 patients.",                    # who, not what
    "Both groups received advice leaflets.",                   # every arm at once
    "The cupping group with higher scores dropped out.",       # 'with' after a name that is no role
])
def test_groups_given_leaves_out_what_no_arm_had(text):
    assert groups_given(text) == []


def test_named_and_role_readers_use_the_shared_reader():
    from evidence.extract.arms import named_group_contexts, role_contexts
    text = "The observation group was treated with warm needling, and the control group taking oral celecoxib."
    assert role_contexts(text) == [("observation", "warm needling"), ("control", "oral celecoxib")]
    assert ("control", "oral celecoxib") in named_group_contexts(text)


@pytest.mark.parametrize("text, name, label, what", [
    ("In the cupping group, cups were applied to the low back.", "cupping", None, "cups were applied to the low back"),
    ("While in group K, the nerve was blocked under ultrasound.", "", "K", "the nerve was blocked under ultrasound"),
    ("The first group was given tablets, and the controls received advice.", "first", None, "tablets"),
    ("Forty patients (group M) underwent needling and 38 patients (group N) received tablets.", "", "M", "needling"),
])
def test_groups_given_reads_group_led_clauses(text, name, label, what):
    given = groups_given(text)[0]
    assert (given.name, given.label) == (name, label)
    assert text[given.start:given.end].rstrip(".") == what


def test_groups_given_keeps_a_result_led_by_the_group_out():
    assert groups_given("In the cupping group, pain decreased more than in the other group.") == []


def test_allocation_arm_keeps_what_its_bracket_says(acu):
    arms = read(acu, "METHODS: Forty adults were randomly allocated to a needling group (20 cases, treated with electroacupuncture) "
                     "and a control group (20 cases, treated with oral ibuprofen).")
    assert arms is not None and arms.how == "allocation" and arms.comparator_classes == ["drug"]


def test_groups_given_reads_the_treatment_named_before_its_group():
    text = "Dry needling of 0.3 mm was performed weekly in the needle group, and stretching was done at home in the exercise group."
    got = [(g.name, text[g.start:g.end].strip()) for g in groups_given(text)]
    assert got == [("needle", "Dry needling of 0.3 mm"), ("exercise", "stretching was done at home")]
    assert groups_given("Rescue tablets were given more often in the sham group than in the needle group.") == []


def test_given_to_the_group_names_the_group_after_it():
    # "X treatment was given to 20 cases in the drug group": the drug group had X (not "to 20 cases").
    (given,) = groups_given("Oral drug treatment was given to 20 cases in the drug group.")
    assert (given.name, given.verb) == ("drug", "to")


def test_group_given_gate_admits_every_verb_the_reader_reads():
    """The cheap gate before ``_GROUP_GIVEN`` lists its verbs by hand; a verb added to GIVEN_WORDS or
    _WEAK_GIVEN but not to the gate would silently never be read."""
    from evidence.extract import allocation

    verbs = ["treated with", "managed by", "given", "offered", "administered", "received", "receiving",
             "underwent", "undergoing", "took", "taking", "got", "adopted", "applied", "accepted", "injected with",
             "were assigned to", "will receive", "will undergo", "included", "including", "comprised", "consisted of",
             "using", "used", "with", "by"]
    for verb in verbs:
        sentence = f"The control group {verb} oral tablets."
        assert re.search(allocation.GIVEN_WORDS + "|" + allocation._WEAK_GIVEN, sentence, re.IGNORECASE), verb
        assert allocation._GROUP_GIVEN_GATE.search(sentence), f"gate misses {verb!r}"
