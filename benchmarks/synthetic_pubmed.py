"""Generate invented PubMed efetch XML of a given size, for benchmarks.

Records follow the shape of real efetch output (compared with the NCBI files in
../shared/peer-data): indented per level as efetch prints them (two spaces here), with the many
small elements a real record carries besides the parts ``read_pubmed`` keeps (DateCompleted,
DateRevised, ISSN, a History of PubMedPubDate Year/Month/Day/Hour/Minute, KeywordList, GrantList,
ChemicalList, CoiStatement, sometimes a DataBankList or a short ReferenceList). Mostly structured
abstracts, 1-12 authors, 1-18 MeSH headings (none for a quarter, as for records not yet indexed),
about 6 KB of markup and text per record (7.3 KB with the indentation), fake PMIDs from 99000000
upwards and random words for text. Some records carry what real files carry now and then: inline
``<i>``/``<sup>``/``<sub>``, character references, a no-break or thin space (2%), a MathML
formula (0.1%), a MedlineDate or Season, a collective author, a ValidYN="N" author. Output is
valid against Bio/Entrez/DTDs/pubmed_250101.dtd (``python synthetic_pubmed.py --check N``
validates N records).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = (  # noqa: SIM905 (a sentence of words reads better than a list of 60 strings)
    "needle pain sciatica trial lumbar radicular injection block steroid randomized patients "
    "outcome score week follow group sham control electroacupuncture disc herniation leg back "
    "analysis effect mean difference confidence interval significant improvement function "
    "the of and in with for was were to a at by on from after versus compared baseline months "
    "primary secondary adverse events disability index visual analogue scale participants"
).split()
LABELS = (("BACKGROUND", "BACKGROUND"), ("OBJECTIVE", "OBJECTIVE"), ("METHODS", "METHODS"),
          ("RESULTS", "RESULTS"), ("CONCLUSIONS", "CONCLUSIONS"))
MESH = ("Sciatica", "Acupuncture Therapy", "Humans", "Male", "Female", "Adult", "Middle Aged",
        "Low Back Pain", "Radiculopathy", "Injections, Epidural", "Nerve Block", "Pain Measurement",
        "Treatment Outcome", "Electroacupuncture", "Intervertebral Disc Displacement", "Aged",
        "Steroids", "Lumbar Vertebrae", "Dry Needling", "Double-Blind Method", "Follow-Up Studies",
        "Young Adult", "Prospective Studies", "Quality of Life")
QUALIFIERS = (("Q000628", "therapy"), ("Q000188", "drug therapy"), ("Q000009", "adverse effects"),
              ("Q000008", "administration & dosage"), ("Q000453", "epidemiology"))
PTYPES = (("D016428", "Journal Article"), ("D016449", "Randomized Controlled Trial"),
          ("D013485", "Research Support, Non-U.S. Gov't"), ("D016448", "Multicenter Study"),
          ("D003160", "Comparative Study"), ("D017418", "Meta-Analysis"))
COUNTRIES = ("China", "United States", "England", "Germany", "Korea (South)", "Japan", "Brazil")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STATUSES = ("received", "revised", "accepted", "aheadofprint", "entrez", "pubmed", "medline")
# Real abstracts now and then carry a no-break space (U+00A0) or a thin space (U+2009) inside numbers.
ODD_SPACES = ("\u00a0", "\u2009")


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _sentence(rng: random.Random, n: int) -> str:
    return _words(rng, n).capitalize() + "."


class _Writer:
    """Collects indented lines, two spaces per level, as efetch prints them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def open(self, tag: str, attrs: str = "") -> None:
        self.lines.append(f"{'  ' * self.depth}<{tag}{attrs}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.lines.append(f"{'  ' * self.depth}</{tag}>")

    def leaf(self, tag: str, text: str, attrs: str = "", raw: bool = False) -> None:
        self.lines.append(f"{'  ' * self.depth}<{tag}{attrs}>{text if raw else escape(str(text))}</{tag}>")

    def date(self, tag: str, rng: random.Random, year: int, attrs: str = "", clock: bool = False) -> None:
        self.open(tag, attrs)
        self.leaf("Year", year)
        self.leaf("Month", f"{rng.randint(1, 12):02d}" if not clock else rng.randint(1, 12))
        self.leaf("Day", f"{rng.randint(1, 28):02d}" if not clock else rng.randint(1, 28))
        if clock:
            self.leaf("Hour", rng.randint(0, 23))
            self.leaf("Minute", rng.randint(0, 59))
        self.close(tag)


def _abstract_text(rng: random.Random, n_sentences: int, words: int) -> str:
    text = escape(" ".join(_sentence(rng, words) for _ in range(n_sentences)))
    r = rng.random()
    if r < 0.25:
        text += f" The <i>{_words(rng, 2)}</i> score fell by 10<sup>2</sup> (P&lt;0.05; CO<sub>2</sub>)."
    elif r < 0.35:
        text += " Doses of 5 &#956;g &#8805; 2 mg were compared."  # character references
    return text


MATHML = (
    '<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML">\n'
    "  <mml:mrow>\n    <mml:mi>V</mml:mi>\n    <mml:mo>.</mml:mo>\n"
    "    <mml:msub><mml:mi>O</mml:mi><mml:mn>2</mml:mn></mml:msub>\n  </mml:mrow>\n</mml:math>"
)


def record(pmid: int, rng: random.Random) -> str:
    w = _Writer()
    w.open("PubmedArticle")
    w.open("MedlineCitation", ' Status="MEDLINE" Owner="NLM" IndexingMethod="Automated"' if rng.random() < 0.3 else ' Status="MEDLINE" Owner="NLM"')
    w.leaf("PMID", pmid, ' Version="1"')
    year = rng.randint(1975, 2025)
    w.date("DateCompleted", rng, year + 1)
    w.date("DateRevised", rng, min(year + 3, 2025))
    w.open("Article", ' PubModel="Print-Electronic"')
    w.open("Journal")
    w.leaf("ISSN", f"{rng.randint(1000, 9999)}-{rng.randint(100, 999)}X", ' IssnType="Electronic"')
    w.open("JournalIssue", ' CitedMedium="Internet"')
    w.leaf("Volume", rng.randint(1, 60))
    w.leaf("Issue", rng.randint(1, 12))
    w.open("PubDate")
    r = rng.random()
    if r < 0.03:
        w.leaf("MedlineDate", f"{year} {rng.choice(MONTHS)}-{rng.choice(MONTHS)}")
    elif r < 0.05:
        w.leaf("Year", year)
        w.leaf("Season", rng.choice(("Spring", "Summer", "Fall", "Winter")))
    else:
        w.leaf("Year", year)
        w.leaf("Month", rng.choice(MONTHS))
        if rng.random() < 0.4:
            w.leaf("Day", f"{rng.randint(1, 28):02d}")
    w.close("PubDate")
    w.close("JournalIssue")
    journal = rng.randint(1, 400)
    w.leaf("Title", f"Invented journal of pain research {journal}")
    w.leaf("ISOAbbreviation", f"Invent J Pain Res {journal}")
    w.close("Journal")
    title = escape(_sentence(rng, rng.randint(10, 22)))
    if rng.random() < 0.1:
        title = title.replace(" ", " <i>", 1).replace(" ", "</i> ", 2).replace("</i> ", " ", 1)
    w.leaf("ArticleTitle", title, raw=True)
    w.open("Pagination")
    start = rng.randint(1, 900)
    w.leaf("StartPage", start)
    w.leaf("EndPage", start + 9)
    w.leaf("MedlinePgn", f"{start}-{start + 9}")
    w.close("Pagination")
    w.leaf("ELocationID", f"10.9999/bench.{pmid}", ' EIdType="doi" ValidYN="Y"')
    if rng.random() < 0.5:
        w.leaf("ELocationID", f"S0000-0000({year})00{pmid % 1000:03d}-1", ' EIdType="pii" ValidYN="Y"')
    r = rng.random()
    if r < 0.85:
        w.open("Abstract")
        labels = LABELS if rng.random() < 0.5 else LABELS[:1] + LABELS[2:]
        math_at = rng.randrange(len(labels)) if rng.random() < 0.001 else -1
        odd_at = rng.randrange(len(labels)) if rng.random() < 0.02 else -1
        for i, (label, category) in enumerate(labels):
            text = _abstract_text(rng, rng.randint(2, 3), rng.randint(8, 12))
            if i == math_at:
                text += f" Peak {MATHML} rose."
            if i == odd_at:
                text += f" Mean difference was 1{rng.choice(ODD_SPACES)}000 points."
            w.leaf("AbstractText", text, f' Label="{label}" NlmCategory="{category}"', raw=True)
        if rng.random() < 0.3:
            w.leaf("CopyrightInformation", f"Copyright \u00a9 {year} Invented Publisher. All rights reserved.")
        w.close("Abstract")
    elif r < 0.95:
        w.open("Abstract")
        w.leaf("AbstractText", _abstract_text(rng, 8, 16), raw=True)
        w.close("Abstract")
    w.open("AuthorList", ' CompleteYN="Y"')
    every_affiliation = rng.random() < 0.3  # older records list the first author's affiliation only
    for i in range(rng.randint(1, 12)):
        if i == 0 and rng.random() < 0.01:
            w.open("Author", ' ValidYN="N"')
            w.leaf("LastName", f"Misspelt{rng.randrange(10**4)}")
            w.leaf("ForeName", "Ann")
            w.leaf("Initials", "A")
            w.close("Author")
        if rng.random() < 0.02:
            w.open("Author", ' ValidYN="Y"')
            w.leaf("CollectiveName", f"Invented Needling Trial Group {rng.randrange(100)}")
            w.close("Author")
            continue
        w.open("Author", ' ValidYN="Y"')
        w.leaf("LastName", f"Name{rng.randrange(10**6)}")
        w.leaf("ForeName", rng.choice(("Wei", "Anna", "J Mark", "Paul M", "Li-Hua", "Jos\u00e9")))
        w.leaf("Initials", rng.choice(("W", "A", "JM", "PM", "LH", "J")))
        if rng.random() < 0.1:
            w.leaf("Identifier", f"0000-000{rng.randint(1, 3)}-{rng.randint(1000, 9999)}-{rng.randint(100, 999)}X", ' Source="ORCID"')
        for _ in range(0 if i and not every_affiliation else 1 if rng.random() < 0.9 else 2):
            w.open("AffiliationInfo")
            w.leaf("Affiliation", f"Department of {_words(rng, 1).title()}, Invented Hospital "
                                  f"{rng.randint(1, 99)}, {rng.choice(COUNTRIES)}.")
            w.close("AffiliationInfo")
        w.close("Author")
    w.close("AuthorList")
    w.leaf("Language", "eng")
    if rng.random() < 0.05:
        w.open("DataBankList", ' CompleteYN="Y"')
        w.open("DataBank")
        w.leaf("DataBankName", "ClinicalTrials.gov")
        w.open("AccessionNumberList")
        w.leaf("AccessionNumber", f"NCT0{rng.randint(1000000, 9999999)}")
        w.close("AccessionNumberList")
        w.close("DataBank")
        w.close("DataBankList")
    if rng.random() < 0.25:
        w.open("GrantList", ' CompleteYN="Y"')
        for _ in range(rng.randint(1, 4)):
            w.open("Grant")
            w.leaf("GrantID", f"R01 AT{rng.randint(100000, 999999)}")
            w.leaf("Acronym", "AT")
            w.leaf("Agency", "NCCIH NIH HHS")
            w.leaf("Country", "United States")
            w.close("Grant")
        w.close("GrantList")
    w.open("PublicationTypeList")
    for ui, name in [PTYPES[0], *rng.sample(PTYPES[1:], rng.randint(0, 2))]:
        w.leaf("PublicationType", name, f' UI="{ui}"')
    w.close("PublicationTypeList")
    if rng.random() < 0.6:
        w.date("ArticleDate", rng, year, ' DateType="Electronic"')
    w.close("Article")
    w.open("MedlineJournalInfo")
    w.leaf("Country", rng.choice(COUNTRIES))
    w.leaf("MedlineTA", f"Invent J Pain Res {journal}")
    w.leaf("NlmUniqueID", f"{rng.randint(1000000, 9999999)}")
    w.leaf("ISSNLinking", f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}")
    w.close("MedlineJournalInfo")
    if rng.random() < 0.4:
        w.open("ChemicalList")
        for _ in range(rng.randint(1, 6)):
            w.open("Chemical")
            w.leaf("RegistryNumber", "0")
            w.leaf("NameOfSubstance", f"{_words(rng, 2).title()} Agents", f' UI="D{rng.randrange(10**6):06d}"')
            w.close("Chemical")
        w.close("ChemicalList")
    w.leaf("CitationSubset", "IM")
    if rng.random() < 0.1:
        w.open("CommentsCorrectionsList")
        for _ in range(rng.randint(1, 3)):
            ref_type = "RetractionIn" if rng.random() < 0.02 else rng.choice(("CommentIn", "ErratumIn", "Cites"))
            w.open("CommentsCorrections", f' RefType="{ref_type}"')
            w.leaf("RefSource", f"Invent J Pain Res. {year};{rng.randint(1, 60)}:{rng.randint(1, 900)}")
            w.leaf("PMID", 98000000 + rng.randrange(10**6), ' Version="1"')
            w.close("CommentsCorrections")
        w.close("CommentsCorrectionsList")
    # In-process and publisher-supplied records are not indexed yet: no MeSH at all.
    headings = rng.sample(MESH, rng.randint(1, 18)) if rng.random() < 0.75 else []
    if headings:
        w.open("MeshHeadingList")
        for m in headings:
            w.open("MeshHeading")
            w.leaf("DescriptorName", m, f' UI="D{rng.randrange(10**6):06d}" MajorTopicYN="{rng.choice("NNNY")}"')
            for ui, q in rng.sample(QUALIFIERS, rng.choice((0, 0, 0, 1, 1, 2))):
                w.leaf("QualifierName", q, f' UI="{ui}" MajorTopicYN="{rng.choice("NNY")}"')
            w.close("MeshHeading")
        w.close("MeshHeadingList")
    if rng.random() < 0.4:
        w.open("KeywordList", ' Owner="NOTNLM"')
        for _ in range(rng.randint(3, 6)):
            w.leaf("Keyword", _words(rng, rng.randint(1, 3)), ' MajorTopicYN="N"')
        w.close("KeywordList")
    if rng.random() < 0.3:
        w.leaf("CoiStatement", "The authors declare that they have no competing interests.")
    w.close("MedlineCitation")
    w.open("PubmedData")
    w.open("History")
    for status in rng.sample(STATUSES, rng.randint(2, 4)):
        w.date("PubMedPubDate", rng, year, f' PubStatus="{status}"', clock=status in ("entrez", "pubmed", "medline"))
    w.close("History")
    w.leaf("PublicationStatus", "ppublish")
    w.open("ArticleIdList")
    w.leaf("ArticleId", pmid, ' IdType="pubmed"')
    w.leaf("ArticleId", f"10.9999/bench.{pmid}", ' IdType="doi"')
    if rng.random() < 0.5:
        w.leaf("ArticleId", f"S0000-0000({year})00{pmid % 1000:03d}-1", ' IdType="pii"')
    if rng.random() < 0.3:
        w.leaf("ArticleId", f"PMC{pmid - 90000000}", ' IdType="pmc"')
    w.close("ArticleIdList")
    if rng.random() < 0.05:
        w.open("ReferenceList")
        for _ in range(rng.randint(2, 6)):
            w.open("Reference")
            w.leaf("Citation", f"{_sentence(rng, 10)} Invent J. {year - 2};{rng.randint(1, 60)}:{rng.randint(1, 900)}.")
            w.open("ArticleIdList")
            w.leaf("ArticleId", 97000000 + rng.randrange(10**6), ' IdType="pubmed"')
            w.close("ArticleIdList")
            w.close("Reference")
        w.close("ReferenceList")
    w.close("PubmedData")
    w.close("PubmedArticle")
    return "\n".join(w.lines) + "\n"


HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
          '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n')


def write_file(path: Path, n_records: int, seed: int = 1) -> Path:
    """Write ``n_records`` invented records to ``path`` and return it."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.writelines(record(99000000 + i, rng) for i in range(n_records))
        fh.write("</PubmedArticleSet>\n")
    return path


def check(n_records: int = 2000, seed: int = 1) -> None:
    """Validate a sample against the NCBI DTD that Biopython ships, and print its size."""
    import tempfile

    import Bio
    from lxml import etree

    dtd = etree.DTD(str(Path(Bio.__file__).parent / "Entrez" / "DTDs" / "pubmed_250101.dtd"))
    with tempfile.TemporaryDirectory() as tmp:
        path = write_file(Path(tmp) / "sample.xml", n_records, seed)
        parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
        doc = etree.parse(str(path), parser)
        ok = dtd.validate(doc)
        print(f"{n_records} records, {path.stat().st_size / n_records / 1024:.2f} KB per record, "
              f"valid against pubmed_250101.dtd: {ok}")
        if not ok:
            raise SystemExit(str(dtd.error_log.filter_from_errors()[:5]))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", type=int, metavar="N", default=2000, help="validate N generated records (default 2000)")
    check(ap.parse_args().check)
