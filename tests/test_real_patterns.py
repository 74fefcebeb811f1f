"""Failure-pattern fixtures: each record reproduces, in new words under a fake PMID, a way a real
abstract of the topic broke the extraction (design, size, arms, effects or main direction).

One file per helper session that wrote them (``tests/fixtures/labelled/real_patterns*.jsonl``), so
parallel fixers do not collide; every record is read the way ``evidence classify`` reads it
(studies, then findings with their main results), under the topic it names (injection studies:
the epidural steroid topic), and checked on every field it states.
"""

from __future__ import annotations

import pytest

from evidence.topic.model import load_topic

from .labelled import REAL_PATTERNS, load_labelled, pattern_mismatches, read_under_topics

# The fake PMIDs each file may use, so that files written in parallel never share one.
PMID_RANGES = {
    "real_patterns.jsonl": (99000000, 99000699),  # the first file; later files took sub-ranges
    "real_patterns_design.jsonl": (99000300, 99000349),
    "real_patterns_design3.jsonl": (99000700, 99000749),
    "real_patterns_arms2.jsonl": (99000750, 99000799),
    "real_patterns_effects3.jsonl": (99000810, 99000849),
    "real_patterns_direction3.jsonl": (99000900, 99000919),
    "real_patterns_effects4.jsonl": (99000920, 99000949),
    "real_patterns_arms3.jsonl": (99000950, 99000979),
    "real_patterns_design4.jsonl": (99000980, 99000999),
    "real_patterns_direction4.jsonl": (99001000, 99001029),
    "real_patterns_sample5.jsonl": (99001170, 99001199),
    "real_patterns_effects5.jsonl": (99001030, 99001049),
    "real_patterns_design5.jsonl": (99001080, 99001109),
    "real_patterns_direction5.jsonl": (99001150, 99001169),
    "real_patterns_comparators5.jsonl": (99001050, 99001079),
    "real_patterns_effects6.jsonl": (99001110, 99001149),
    "real_patterns_effects7.jsonl": (99001200, 99001229),
    "real_patterns_direction6.jsonl": (99001230, 99001249),
    "real_patterns_direction7.jsonl": (99001350, 99001379),
    "real_patterns_design6.jsonl": (99001250, 99001279),
    "real_patterns_comparators6.jsonl": (99001280, 99001309),
    "real_patterns_effects8.jsonl": (99001310, 99001349),
    "real_patterns_direction8.jsonl": (99001490, 99001519),
    "real_patterns_design7.jsonl": (99001400, 99001429),
    "real_patterns_effects9.jsonl": (99001460, 99001489),
    "real_patterns_comparators7.jsonl": (99001430, 99001459),
    "real_patterns_arms8.jsonl": (99001540, 99001569),
    "real_patterns_arms10.jsonl": (99001900, 99001919),
    "real_patterns_comparators11.jsonl": (99002040, 99002059),
    "real_patterns_effects10.jsonl": (99001570, 99001599),
    "real_patterns_direction9.jsonl": (99001690, 99001719),
    "real_patterns_effects11.jsonl": (99001720, 99001749),
    "real_patterns_sample8.jsonl": (99001640, 99001659),
    "real_patterns_sample9.jsonl": (99001770, 99001789),
    "real_patterns_design8.jsonl": (99001620, 99001639),
    "real_patterns_design9.jsonl": (99001750, 99001769),
    "real_patterns_comparators9.jsonl": (99001660, 99001689),
    "real_patterns_effects12.jsonl": (99001850, 99001879),
    "real_patterns_armlabels.jsonl": (99001880, 99001899),
    "real_patterns_direction10.jsonl": (99001820, 99001849),
    "real_patterns_direction11.jsonl": (99001920, 99001939),
    "real_patterns_comparators10.jsonl": (99001790, 99001819),
    "real_patterns_effects13.jsonl": (99001940, 99001959),
    "real_patterns_design10.jsonl": (99001960, 99001979),
    "real_patterns_sample10.jsonl": (99001980, 99001999),
    "real_patterns_effects14.jsonl": (99002000, 99002019),
    "real_patterns_design11.jsonl": (99002020, 99002039),
}
FILES = sorted(REAL_PATTERNS.parent.glob("real_patterns*.jsonl"))
RECORDS = [(path.name, record) for path in FILES for record in load_labelled(path)]
DEFAULT_TOPIC = "acupuncture_sciatica"


def test_every_pattern_file_has_its_own_pmid_range():
    assert {path.name for path in FILES} == set(PMID_RANGES), "register a new real_patterns file in PMID_RANGES"
    pmids = [int(record["pmid"]) for _, record in RECORDS]
    assert len(pmids) == len(set(pmids)), "two pattern records share a fake PMID"
    for name, record in RECORDS:
        low, high = PMID_RANGES[name]
        assert low <= int(record["pmid"]) <= high, (name, record["pmid"])


@pytest.mark.parametrize("name, record", RECORDS, ids=[f"{name[:-6]}:{record['pattern']}" for name, record in RECORDS])
def test_pattern_seen_on_real_abstracts_is_read_right(name, record):
    studies, findings, topic_of = read_under_topics([record], load_topic(DEFAULT_TOPIC))
    wrong = {field: problems for field, problems in pattern_mismatches(record, studies.iloc[0], findings, topic_of[record["pmid"]]).items()
             if problems}
    assert not wrong, wrong
