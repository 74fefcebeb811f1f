"""Reading a built baseline dataset: its partitions, one partition's tables, or a whole table.

Each table is a folder of Parquet files, one per partition, so ``pandas.read_parquet(DIR/"mesh")``
and ``dask.dataframe.read_parquet(DIR/"mesh")`` read it too; these helpers add the table contract
(``evidence.tables.schema``) and the partition order of the manifest.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import InputError, StoreError
from ..tables.schema import FINDINGS, RECORD_TABLES, STUDIES, Table, conform, empty_frame
from .manifest import read_manifest

DERIVED_TABLES: dict[str, Table] = {"studies": STUDIES, "findings": FINDINGS}


def partitions(out: str | Path) -> list[str]:
    """The partitions of the dataset in ``out``, in file order.

    Raises
    ------
    InputError
        ``out`` holds no built dataset.
    """
    out = Path(out)
    files = read_manifest(out).files
    if not files:
        raise InputError(f"{out} holds no baseline dataset; build one into this folder first", setting="dataset")
    unpublished = [f.name for f in files if f.published is None]
    if unpublished:
        raise InputError(f"{out} is not fully built ({unpublished[0]} is not published); run `evidence baseline build` again")
    return [f.partition for f in files]


def table_of(name: str) -> Table:
    table = RECORD_TABLES.get(name) or DERIVED_TABLES.get(name)
    if table is None:
        raise InputError(f"no table named {name}; the tables are {', '.join([*RECORD_TABLES, *DERIVED_TABLES])}")
    return table


def read_partition(out: str | Path, partition: str, tables: Iterable[str] = tuple(RECORD_TABLES)) -> dict[str, pd.DataFrame]:
    """The named tables of one partition, conformed to their contracts."""
    result = {}
    for name in tables:
        path = Path(out) / name / f"{partition}.parquet"
        try:
            df = pd.read_parquet(path)
        except FileNotFoundError:
            again = "classify" if name in DERIVED_TABLES else "build"
            raise StoreError(f"{path} is missing; run `evidence baseline {again}` again") from None
        except Exception as exc:  # pyarrow raises several unrelated types for damaged files
            raise StoreError(f"{path} cannot be read ({exc}); delete it and run `evidence baseline build` again") from exc
        result[name] = conform(df, table_of(name))
    return result


def read_table(out: str | Path, name: str) -> pd.DataFrame:
    """One table of the whole dataset, partitions in file order (for tests and small datasets)."""
    table = table_of(name)
    parts = [read_partition(out, p, (name,))[name] for p in partitions(out)]
    return conform(pd.concat(parts, ignore_index=True), table) if parts else empty_frame(table)
