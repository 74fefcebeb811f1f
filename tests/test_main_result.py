"""A study's main result: the primary outcome at the primary time point its abstract names."""

from __future__ import annotations

import pandas as pd

from evidence.tables import schema
from evidence.extract.findings import extract_findings
from evidence.extract.main_result import mark_main_results, primary_time_weeks

SECONDARY_FIRST = (
    "METHODS: Sixty adults with sciatica were randomised to electroacupuncture or sham electroacupuncture. "
    "The primary outcome was leg pain VAS at 4 weeks.\n\n"
    "RESULTS: ODI did not differ between groups (P = 0.40). At 2 weeks, leg pain VAS did not differ between groups "
    "(P = 0.30). At 4 weeks, leg pain VAS was lower in the electroacupuncture group than in the sham group "
    "(MD -1.1, 95% CI -1.9 to -0.3; P = 0.01)."
)
NO_PRIMARY = "RESULTS: At 4 weeks, leg pain VAS was lower with electroacupuncture than with sham (P = 0.02)."


def _articles(*records: tuple[str, str, str]) -> pd.DataFrame:
    return schema.conform(pd.DataFrame([{"pmid": p, "title": t, "abstract": a, "record_type": "article", "source": "test"}
                                        for p, t, a in records]), schema.ARTICLES)


def test_the_primary_outcome_at_its_time_point_is_the_main_result(topic):
    articles = _articles(("99000201", "Electroacupuncture or sham for sciatica", SECONDARY_FIRST),
                         ("99000202", "Electroacupuncture or sham for sciatica", NO_PRIMARY))
    findings = mark_main_results(extract_findings({"articles": articles}, topic), articles, topic)
    first = findings[findings["pmid"] == "99000201"]
    main = first[first["main_result"].fillna(False)]
    assert list(zip(main["outcome"], main["timepoint"], main["direction"])) == [("leg_pain_vas", "4 weeks", "favours_intervention")]
    # The secondary outcome and the earlier time point, both reported first, are not the main result.
    others = first[~first["main_result"].fillna(False)]
    assert set(zip(others["outcome"], others["direction"])) == {("odi", "no_difference"), ("leg_pain_vas", "no_difference")}
    assert others["main_result"].notna().all()
    assert findings.loc[findings["pmid"] == "99000202", "main_result"].isna().all()
    assert schema.validate(schema.conform(findings, schema.FINDINGS), schema.FINDINGS) == []


def test_primary_time_points_are_read_in_weeks():
    assert primary_time_weeks("leg pain VAS at 4 weeks") == {4.0}
    assert primary_time_weeks("ODI at week 12 and at 6-month follow-up") == {12.0, 26.0}
    assert primary_time_weeks("leg pain intensity") == set()


NBIB = """PMID- 99000203
DP  - 2025 Mar
TI  - Electroacupuncture against sham electroacupuncture for sciatica: an invented
      trial.
AB  - METHODS: Sixty adults with sciatica were randomised to electroacupuncture or sham
      electroacupuncture. The primary outcome was leg pain VAS at 4 weeks. RESULTS: ODI
      did not differ between groups (P = 0.40). At 4 weeks, leg pain VAS was lower in
      the electroacupuncture group than in the sham group (MD -1.1, 95% CI -1.9 to -0.3;
      P = 0.01).
PT  - Journal Article
PT  - Randomized Controlled Trial
"""


def test_classify_stores_each_findings_direction_and_the_main_result(tmp_path):
    import evidence
    from click.testing import CliRunner

    from evidence.cli import cli

    export = tmp_path / "trial.nbib"
    export.write_text(NBIB, encoding="utf-8")
    data = tmp_path / "data"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(export), "--data-dir", str(data)], catch_exceptions=False).exit_code == 0
    assert runner.invoke(cli, ["classify", "--data-dir", str(data)], catch_exceptions=False).exit_code == 0
    findings = evidence.load(data, snapshot=False)["findings"].set_index("outcome")
    assert findings.loc["leg_pain_vas", "direction"] == "favours_intervention"
    assert findings.loc["leg_pain_vas", "main_result"]
    assert findings.loc["odi", "direction"] == "no_difference"
    assert not findings.loc["odi", "main_result"]


def test_a_primary_outcome_named_in_apposition_or_in_other_words_is_the_main_result(topic):
    appositive = ("RESULTS: Back pain and the Oswestry Disability Index did not differ between the arms (P = 0.31 and "
                  "P = 0.44). Leg pain VAS, the primary outcome, fell more after acupuncture than after the nerve block (P = 0.02).")
    # The primary outcome in words the vocabulary does not read as the VAS finding ("leg pain intensity").
    other_words = ("METHODS: Eighty adults with sciatica were randomised to acupuncture or sham acupuncture; the primary "
                   "end point was leg pain intensity at 4 weeks.\nRESULTS: The Oswestry Disability Index did not differ "
                   "between the groups (P = 0.52). At 4 weeks leg pain VAS was lower with acupuncture than with sham (P = 0.003).")
    articles = _articles(("99000161", "Acupuncture or nerve block for sciatica", appositive),
                         ("99000162", "Acupuncture or sham for sciatica", other_words))
    findings = mark_main_results(extract_findings({"articles": articles}, topic), articles, topic)
    for pmid in ("99000161", "99000162"):
        rows = findings[findings["pmid"] == pmid].set_index("outcome")
        assert rows.loc["leg_pain_vas", "main_result"] and rows.loc["leg_pain_vas", "direction"] == "favours_intervention"
        assert not rows.loc["odi", "main_result"] and rows.loc["odi", "direction"] == "no_difference"


def test_the_primary_outcome_search_near_its_phrase_equals_the_plain_search():
    """``_primary_after`` searches only before each "primary outcome" phrase; it must find what a
    search of the whole text finds, also with several phrases and a long text before them."""
    from evidence.extract import primary

    filler = "Patients were treated for several weeks in two clinics " * 30
    texts = [
        filler + "and leg pain at 4 weeks was the primary outcome.",
        "Disability, the main outcome, fell; " + filler + "back pain served as the primary endpoint.",
        filler + "nothing here names one.",
        "short",
        "ODI was our main outcome measure; leg pain was the primary outcome. " + filler,
    ]
    for text in texts:
        plain = primary._PRIMARY_AFTER.search(text)
        near = primary._primary_after(text)
        assert (plain and plain.span()) == (near and near.span())
    assert primary._primary_after(texts[0]) is not None and primary._primary_after(texts[2]) is None


def test_coprimary_outcomes_are_named_and_a_phrase_saying_when_is_not_the_outcome():
    from evidence.extract.primary import primary_outcome

    # "coprimary" names the primary outcomes (seen in r20).
    found = primary_outcome("Main outcomes and measures: Its two coprimary outcomes were the changes in leg pain VAS and ODI at week 4. Others were secondary.")
    assert found is not None and found.text == "leg pain VAS and ODI at week 4"
    # "Primary outcomes were collected at ..." says when they were measured, not what they were (seen in h23).
    assert primary_outcome("Primary outcomes were collected at 2 weeks before and after treatment.") is None
    text = "Primary outcomes were collected at 2 weeks. The main outcome measure was leg pain NRS."
    found = primary_outcome(text)
    assert found is not None and found.text == "leg pain NRS" and text[found.start:found.end] == found.text
