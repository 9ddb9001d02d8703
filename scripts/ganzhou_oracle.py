#!/usr/bin/env python3
"""Reference scorer for the Ganzhou 2023 rules (甘州区共青团乡镇街道工作考核办法, arts. 9-17).

Plain, row-by-row and deliberately unclever: it is the oracle that kaohe's
policies/ganzhou/2023.lua and scripts/ganzhou_pandas.py are checked against.
Standard library only; participation rates are compared as decimal.Decimal.

Usage:
    scripts/ganzhou_oracle.py DATA_DIR [--output FILE]

Prints CSV `rank,unit,name,total,bands` sorted by rank, then unit_id.
Importable: `score(folder)` returns the same rows as a list of dicts.

Readings (base 100; total = 100 + all rule points):
  art. 9   per study row: rate < 100 -> -2; 100 <= rate < 120 -> 0; rate >= 120 -> +2
  art. 10  smart_study_entry_ok=0 -> -2; party_recommend_entry_ok=0 -> -2; grading_ok=0 -> -3
  art. 11  per month 1..12: qualifying activity = entered_day <= 15 and registered >= 30
           and signed_in >= 30; deduct max(0, 3 - qualifying activities that month)
  art. 12  per article: +1; adopted +2; site district +2, city +3, province/national +4;
           solicited +1
  art. 13  per volunteer row at district/city/province, by volunteers <=5 / 6-15 / >15:
           district 2/4/6, city 3/6/9, province 5/8/10; + duration_bonus.
           level `self`: +2 once per unit if any self row has a non-empty news_link
  art. 14  per event: major_event +5, competition_award +5,
           observation district +3, city +5, province +8 (no level: 0)
  art. 15  position_built +10, signage +5
  ranking  competition ("1224") by total descending, ties by unit_id ascending;
           k = floor(0.2 * N); top20 when rank <= k;
           bottom20 when 1 + (units with a strictly lower total) <= k
"""

import argparse
import bisect
import csv
import os
import sys
from decimal import Decimal

BASE = 100

STUDY_LOW = Decimal("100")
STUDY_HIGH = Decimal("120")

SITE_POINTS = {"": 0, "district": 2, "city": 3, "province": 4, "national": 4}

# level -> points for (<=5, 6..15, >15) volunteers
VOLUNTEER_POINTS = {
    "district": (2, 4, 6),
    "city": (3, 6, 9),
    "province": (5, 8, 10),
}

OBSERVATION_POINTS = {"": 0, "district": 3, "city": 5, "province": 8}
EVENT_POINTS = {"major_event": 5, "competition_award": 5}

UNIT_KINDS = ("township", "street")


def read_table(folder, table):
    """Rows of `<folder>/<table>.csv` as dicts; a missing record table is empty."""
    path = os.path.join(folder, table + ".csv")
    if table != "units" and not os.path.exists(path):
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def flag(value, where):
    if value not in ("0", "1"):
        raise ValueError(f"{where}: expected flag 0/1, got {value!r}")
    return value == "1"


def study_points(rate):
    if rate < STUDY_LOW:
        return -2
    if rate < STUDY_HIGH:
        return 0
    return 2


def entry_points(unit):
    points = 0
    if not flag(unit["smart_study_entry_ok"], unit["unit_id"]):
        points -= 2
    if not flag(unit["party_recommend_entry_ok"], unit["unit_id"]):
        points -= 2
    if not flag(unit["grading_ok"], unit["unit_id"]):
        points -= 3
    return points


def youth_home_points(rows):
    qualifying = {month: 0 for month in range(1, 13)}
    for row in rows:
        month = int(row["month"])
        if month not in qualifying:
            raise ValueError(f"youth_home: month out of range: {month}")
        if (int(row["entered_day"]) <= 15
                and int(row["registered"]) >= 30
                and int(row["signed_in"]) >= 30):
            qualifying[month] += 1
    return -sum(max(0, 3 - count) for count in qualifying.values())


def article_points(row):
    points = 1
    if flag(row["adopted"], "articles.adopted"):
        points += 2
    points += SITE_POINTS[row["site_level"]]
    if flag(row["solicited"], "articles.solicited"):
        points += 1
    return points


def volunteer_points(row):
    """Points of one district/city/province volunteer row."""
    volunteers = int(row["volunteers"])
    small, medium, large = VOLUNTEER_POINTS[row["level"]]
    if volunteers <= 5:
        points = small
    elif volunteers <= 15:
        points = medium
    else:
        points = large
    if flag(row["duration_bonus"], "volunteer.duration_bonus"):
        points += 1
    return points


def event_points(row):
    if row["kind"] == "observation":
        return OBSERVATION_POINTS[row["level"]]
    return EVENT_POINTS[row["kind"]]


def score(folder):
    """Score every unit of a data folder; returns rows sorted by rank, then unit_id.

    Each row: {"rank": int, "unit": str, "name": str, "total": int, "bands": [str]}.
    """
    units = read_table(folder, "units")
    totals = {}
    for unit in units:
        if unit["kind"] not in UNIT_KINDS:
            raise ValueError(f"units: bad kind {unit['kind']!r} for {unit['unit_id']}")
        if unit["unit_id"] in totals:
            raise ValueError(f"units: duplicate unit_id {unit['unit_id']}")
        total = BASE
        total += entry_points(unit)                                     # art. 10
        if flag(unit["position_built"], unit["unit_id"]):               # art. 15
            total += 10
        if flag(unit["signage"], unit["unit_id"]):
            total += 5
        totals[unit["unit_id"]] = total

    for row in read_table(folder, "study"):                             # art. 9
        if row["unit_id"] in totals:
            totals[row["unit_id"]] += study_points(Decimal(row["rate"]))

    activities = {unit_id: [] for unit_id in totals}                    # art. 11
    for row in read_table(folder, "youth_home"):
        if row["unit_id"] in activities:
            activities[row["unit_id"]].append(row)
    for unit_id, rows in activities.items():
        totals[unit_id] += youth_home_points(rows)

    for row in read_table(folder, "articles"):                          # art. 12
        if row["unit_id"] in totals:
            totals[row["unit_id"]] += article_points(row)

    self_with_link = set()                                              # art. 13
    for row in read_table(folder, "volunteer"):
        if row["unit_id"] not in totals:
            continue
        if row["level"] == "self":
            if row["news_link"] != "":
                self_with_link.add(row["unit_id"])
        else:
            totals[row["unit_id"]] += volunteer_points(row)
    for unit_id in self_with_link:
        totals[unit_id] += 2

    for row in read_table(folder, "events"):                            # art. 14
        if row["unit_id"] in totals:
            totals[row["unit_id"]] += event_points(row)

    # Ranking (arts. 16-17).
    n = len(units)
    k = (2 * n) // 10  # floor(0.2 * N) without floating point
    ordered = sorted(totals.values())
    results = []
    for unit in units:
        total = totals[unit["unit_id"]]
        lower = bisect.bisect_left(ordered, total)           # strictly lower totals
        higher = n - bisect.bisect_right(ordered, total)     # strictly higher totals
        rank = 1 + higher
        bands = []
        if rank <= k:
            bands.append("top20")
        if 1 + lower <= k:
            bands.append("bottom20")
        results.append({"rank": rank, "unit": unit["unit_id"], "name": unit["name"],
                        "total": total, "bands": bands})
    results.sort(key=lambda r: (r["rank"], r["unit"]))
    return results


def write_csv(results, out):
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "unit", "name", "total", "bands"])
    for r in results:
        writer.writerow([r["rank"], r["unit"], r["name"], r["total"], ";".join(r["bands"])])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder holding units.csv, study.csv, ...")
    parser.add_argument("--output", help="write the CSV here instead of stdout")
    args = parser.parse_args(argv)
    results = score(args.data)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as f:
            write_csv(results, f)
    else:
        write_csv(results, sys.stdout)


if __name__ == "__main__":
    main()
