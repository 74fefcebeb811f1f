"""Parser speed and memory, as ratios against baselines measured in the same run.

    python benchmarks/bench_parse.py [--records 20000] [--memory-records 100000] [--rounds 5]

Speed: records per second of ``evidence.read_pubmed`` against
  (a) a bare lxml iterparse walk that only visits and clears each record (the practical ceiling),
  (b) ``Bio.Entrez.read`` plus flattening into the same article/author/MeSH rows,
and, for reference, the pure-Python reader (``native=False``) that stands in where the compiled
one is not built.
Memory: peak RSS of a fresh process that parses N records, minus the process's RSS before
parsing, compared with the in-memory size of the tables it returns.
Targets: read_pubmed >= 0.5x (a) and >= 4x (b); memory above the tables < 1.5 GB at 100,000.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_pubmed import write_file


def lxml_walk(path: Path, every_element: bool = False) -> int:
    """Walk the records and clear each one. With ``every_element``, no tag filter: every
    element's end event reaches Python, as in parsers that dispatch on each element."""
    n = 0
    tag = None if every_element else "PubmedArticle"
    for _, elem in etree.iterparse(str(path), events=("end",), tag=tag, resolve_entities=False, no_network=True, load_dtd=False):
        if elem.tag == "PubmedArticle":
            n += 1
            elem.clear(keep_tail=False)
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    return n


def entrez_flatten(path: Path) -> int:
    from Bio import Entrez
    import pandas as pd

    with open(path, "rb") as fh:
        data = Entrez.read(fh, validate=False)
    arts, authors, mesh = [], [], []
    for rec in data["PubmedArticle"]:
        mc = rec["MedlineCitation"]
        pmid = str(mc["PMID"])
        art = mc["Article"]
        abstract = "\n".join(f"{t.attributes.get('Label', '')}: {t}" for t in art.get("Abstract", {}).get("AbstractText", []))
        arts.append({"pmid": pmid, "title": str(art["ArticleTitle"]), "abstract": abstract,
                     "journal": str(art["Journal"].get("Title", "")), "year": str(art["Journal"]["JournalIssue"]["PubDate"].get("Year", ""))})
        for i, a in enumerate(art.get("AuthorList", []), 1):
            authors.append({"pmid": pmid, "position": i, "last_name": str(a.get("LastName", "")),
                            "affiliations": [str(x["Affiliation"]) for x in a.get("AffiliationInfo", [])]})
        for h in mc.get("MeshHeadingList", []):
            mesh.append({"pmid": pmid, "descriptor": str(h["DescriptorName"]),
                         "qualifiers": [str(q) for q in h.get("QualifierName", [])]})
    pd.DataFrame(arts), pd.DataFrame(authors), pd.DataFrame(mesh)
    return len(arts)


def read_pubmed(path: Path, native: bool | None = None) -> int:
    import evidence

    return len(evidence.read_pubmed(path, native=native)["articles"])


def seconds(func, path: Path) -> float:
    t0 = time.perf_counter()
    func(path)
    return time.perf_counter() - t0


def interleaved(funcs: dict, path: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds per run of each function, run in turn within each round.

    On a shared, noisy machine a slow spell then hits the baseline and the reader alike, so the
    ratio within a round is steadier than a ratio of best times taken minutes apart.
    """
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(rounds):
        for name, func in funcs.items():
            times[name].append(seconds(func, path))
    return times


def ratio_summary(ours: list[float], base: list[float]) -> str:
    """Median, and range, of the per-round speed ratios ours/base (a ratio > 1 means faster)."""
    ratios = sorted(b / o for o, b in zip(ours, base))
    return f"{statistics.median(ratios):.2f}x (rounds {ratios[0]:.2f}-{ratios[-1]:.2f})"


MEMORY_PROBE = r"""
import json, sys
import evidence
def status_mb(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
before = status_mb("VmRSS")
tables = evidence.read_pubmed(sys.argv[1])
# VmHWM, the peak RSS of this process's own address space. Not getrusage's ru_maxrss: Linux
# carries that across fork and exec, so a probe started by a large parent reports the parent's peak.
peak = status_mb("VmHWM")
size = sum(df.memory_usage(deep=True).sum() for df in tables.values()) / 2**20
print(json.dumps({"before_mb": before, "peak_mb": peak, "tables_mb": size, "records": len(tables["articles"])}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--memory-records", type=int, default=100000)
    ap.add_argument("--rounds", type=int, default=5, help="interleaved timing rounds (default 5)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_file(Path(tmp) / "bench.xml", args.records)
        size_kb = path.stat().st_size / args.records / 1024
        print(f"file: {args.records} records, {size_kb:.1f} KB per record")
        funcs = {
            "walk": lxml_walk,
            "every": lambda p: lxml_walk(p, every_element=True),
            "ours": read_pubmed,
            "pure": lambda p: read_pubmed(p, native=False),
        }
        t = interleaved(funcs, path, args.rounds)
        bio = seconds(entrez_flatten, path)
        n = args.records

        def rate(name: str) -> float:
            return n / statistics.median(t[name])

        print(f"{args.rounds} rounds; records/s are medians, ratios are medians of the per-round ratios")
        print(f"bare lxml walk      : {rate('walk'):9.0f} records/s  (ceiling)")
        print(f"lxml walk, every element: {rate('every'):5.0f} records/s  (a walk that also visits each element in Python)")
        print(f"evidence.read_pubmed: {rate('ours'):9.0f} records/s  = {ratio_summary(t['ours'], t['walk'])} the bare walk "
              f"(target >= 0.5x), {ratio_summary(t['ours'], t['every'])} the every-element walk")
        print(f"  pure-Python reader: {rate('pure'):9.0f} records/s  = {ratio_summary(t['pure'], t['walk'])} the bare walk "
              "(the fallback where evidence.ingest._records is not compiled)")
        print(f"Bio.Entrez + flatten: {n / bio:9.0f} records/s  -> read_pubmed is {bio / statistics.median(t['ours']):.1f}x faster (target >= 4x)")
        if args.memory_records:
            big = write_file(Path(tmp) / "big.xml", args.memory_records, seed=2)
            out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(big)], capture_output=True, text=True, check=False)
            if out.returncode:
                sys.exit(f"memory probe failed:\n{out.stderr}")
            m = json.loads(out.stdout)
            above = m["peak_mb"] - m["before_mb"] - m["tables_mb"]
            print(f"memory, {m['records']} records ({big.stat().st_size / 2**20:.0f} MB file): peak {m['peak_mb']:.0f} MB, "
                  f"tables {m['tables_mb']:.0f} MB, above tables {above:.0f} MB (target < 1536 MB)")


if __name__ == "__main__":
    main()
