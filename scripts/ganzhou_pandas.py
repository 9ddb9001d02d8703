#!/usr/bin/env python3
"""Vectorized pandas scorer for the Ganzhou 2023 rules: the benchmark baseline for kaohe.

    scripts/ganzhou_pandas.py DATA_DIR [--output FILE]

Implements exactly the readings of scripts/ganzhou_oracle.py (see its docstring)
with whole-column operations only: read_csv, np.select / np.where, groupby and
reindex, no Python loop over rows or units. Prints the same CSV
`rank,unit,name,total,bands`, sorted by rank then unit_id, so the outputs of
the oracle, this script and `kaohe score --format csv` can be compared byte for byte.

Rates are compared as float64: exact for the two-decimal rates of the data
contract (only a rate written with more than ~15 significant digits right
next to 100 or 120 could be judged differently from the oracle's Decimal).
Needs pandas and numpy (scripts/bench installs them into .bench/venv).
"""

import argparse
import os
import sys

import numpy as np
import pandas as pd

BASE = 100
RECORD_TABLES = ("study", "youth_home", "articles", "volunteer", "events")


def read(folder, table, dtypes):
    """One table with only the columns we need; empty cells stay "" in text columns."""
    path = os.path.join(folder, table + ".csv")
    if table != "units" and not os.path.exists(path):
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})
    return pd.read_csv(path, usecols=list(dtypes), dtype=dtypes, keep_default_na=False,
                       na_values=[], encoding="utf-8")


def per_unit(unit_ids, points):
    """Sum a per-row points Series (index = unit_id) into one value per unit; 0 when absent."""
    return points.groupby(level=0, observed=True, sort=False).sum() \
        .reindex(unit_ids, fill_value=0).to_numpy(dtype=np.int64)


def score(folder):
    units = read(folder, "units", {
        "unit_id": str, "name": str, "kind": str, "position_built": np.int8, "signage": np.int8,
        "smart_study_entry_ok": np.int8, "party_recommend_entry_ok": np.int8, "grading_ok": np.int8})
    ids = pd.Index(units["unit_id"])
    total = np.full(len(units), BASE, dtype=np.int64)

    # Art. 10: entries in 智慧团建.
    total -= 2 * (1 - units["smart_study_entry_ok"].to_numpy(np.int64))
    total -= 2 * (1 - units["party_recommend_entry_ok"].to_numpy(np.int64))
    total -= 3 * (1 - units["grading_ok"].to_numpy(np.int64))
    # Art. 15: position and signage.
    total += 10 * units["position_built"].to_numpy(np.int64)
    total += 5 * units["signage"].to_numpy(np.int64)

    # Art. 9: 青年大学习 participation per period.
    study = read(folder, "study", {"unit_id": "category", "rate": np.float64})
    rate = study["rate"].to_numpy()
    points = np.select([rate < 100, rate >= 120], [-2, 2], 0)
    total += per_unit(ids, pd.Series(points, index=study["unit_id"]))

    # Art. 11: three qualifying 青年之家 activities per month, -1 for each missing.
    yh = read(folder, "youth_home", {"unit_id": "category", "month": np.int64, "entered_day": np.int64,
                                     "registered": np.int64, "signed_in": np.int64})
    ok = ((yh["entered_day"] <= 15) & (yh["registered"] >= 30) & (yh["signed_in"] >= 30)
          & yh["month"].between(1, 12))
    qualifying = yh.loc[ok, ["unit_id", "month"]]
    credited = (qualifying.groupby(["unit_id", "month"], observed=True, sort=False).size()
                .clip(upper=3).groupby(level=0, observed=True, sort=False).sum())
    total -= 36 - credited.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)

    # Art. 12: articles.
    art = read(folder, "articles", {"unit_id": "category", "adopted": np.int64,
                                    "site_level": str, "solicited": np.int64})
    site = art["site_level"].to_numpy(dtype=object)
    points = (1 + 2 * art["adopted"].to_numpy() + art["solicited"].to_numpy()
              + np.select([site == "district", site == "city", (site == "province") | (site == "national")],
                          [2, 3, 4], 0))
    total += per_unit(ids, pd.Series(points, index=art["unit_id"]))

    # Art. 13: volunteer service; self-organised: +2 once per unit with a news link.
    vol = read(folder, "volunteer", {"unit_id": "category", "level": str, "volunteers": np.int64,
                                     "duration_bonus": np.int64, "news_link": str})
    level = vol["level"].to_numpy(dtype=object)
    n = vol["volunteers"].to_numpy()
    tier = np.select([n <= 5, n <= 15], [0, 1], 2)
    table = np.array([[2, 4, 6], [3, 6, 9], [5, 8, 10]])
    level_idx = np.select([level == "district", level == "city", level == "province"], [0, 1, 2], -1)
    ranked = level_idx >= 0
    points = np.where(ranked, table[np.where(ranked, level_idx, 0), tier] + vol["duration_bonus"].to_numpy(), 0)
    total += per_unit(ids, pd.Series(points, index=vol["unit_id"]))
    has_link = (level == "self") & (vol["news_link"].str.len().to_numpy() > 0)
    linked = vol["unit_id"][has_link].unique()
    total += 2 * ids.isin(np.asarray(linked, dtype=object)).astype(np.int64)

    # Art. 14: events.
    ev = read(folder, "events", {"unit_id": "category", "kind": str, "level": str})
    kind = ev["kind"].to_numpy(dtype=object)
    lev = ev["level"].to_numpy(dtype=object)
    obs = kind == "observation"
    points = np.select([(kind == "major_event") | (kind == "competition_award"),
                        obs & (lev == "district"), obs & (lev == "city"), obs & (lev == "province")],
                       [5, 3, 5, 8], 0)
    total += per_unit(ids, pd.Series(points, index=ev["unit_id"]))

    # Ranking (arts. 16-17): competition ranking, top / bottom 20%.
    totals = pd.Series(total)
    k = (2 * len(units)) // 10
    rank = totals.rank(method="min", ascending=False).to_numpy(dtype=np.int64)
    lower_plus_one = totals.rank(method="min", ascending=True).to_numpy(dtype=np.int64)
    top, bottom = rank <= k, lower_plus_one <= k
    bands = np.select([top & bottom, top, bottom], ["top20;bottom20", "top20", "bottom20"], "")
    result = pd.DataFrame({"rank": rank, "unit": units["unit_id"], "name": units["name"],
                           "total": total, "bands": bands})
    return result.sort_values(["rank", "unit"], kind="stable").reset_index(drop=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder holding units.csv, study.csv, ...")
    parser.add_argument("--output", help="write the CSV here instead of stdout")
    args = parser.parse_args(argv)
    result = score(args.data)
    if args.output:
        result.to_csv(args.output, index=False, lineterminator="\n", encoding="utf-8")
    else:
        result.to_csv(sys.stdout, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
