#!/usr/bin/env python3
"""Reference scorer for the Ganzhou 2025 example policy (policies/ganzhou/2025.lua).

Plain, row by row and deliberately unclever: an independent reading of the 2025 rules that kaohe's scoring of
policies/ganzhou/2025.lua is checked against (Tests/KaoheTests/Ganzhou2025ReferenceTests.swift). Python 3
standard library only; every number is a decimal.Decimal. It shares no code with kaohe and does not run it.

Usage:
    scripts/ganzhou2025_reference.py DATA_DIR [--points]

Prints JSON: [{"unit", "group", "rank", "total", "bands": [...], "vetoes": [ids]}, ...], ordered by group
(township, then street), then rank, then unit id. `total` is a string with exactly one decimal ("153.5").
With --points each unit also has "points" (each rule's points, as text) and "exact_total" (before rounding).

Readings (base 100). Articles 9-15 as in scripts/ganzhou_oracle.py (2023), with the 2024 and 2025 edits:
  art. 9        per study row: rate < 100 -> -2; 100 <= rate < 110 -> 0; rate >= 110 -> +2    (2024: was 120)
  art. 10       smart_study_entry_ok=0 -> -2; party_recommend_entry_ok=0 -> -2; grading_ok=0 -> -3
  art. 11       per month 1..12: qualifying activity = entered_day <= 15, registered >= 30, signed_in >= 30;
                deduct max(0, 3 - qualifying activities that month)
  art. 11之一   per month 1..12 (2024): a report with submitted_day <= 5 -> 0; else a report with a later
                day -> -1; else (no report, or only empty days) -> -2
  art. 12       per article: +1; adopted +2; site district +2, city +3, province/national +4; solicited +1;
                the sum capped at 20 (2024)
  art. 13       per volunteer row at district/city/province, by volunteers <=5 / 6-15 / >15:
                district 2/4/6, city 3/6/9, province 5/8/10; + duration_bonus (those levels only);
                level `self`: +2 once per unit if any self row has a non-empty news_link
  art. 14       per event: major_event +5, competition_award +5, observation district +3, city +6,
                province +10 (2024), no level 0
  art. 15       position_built +10, signage +5
  art. 15之一   (2025) ratings self / public / superior (0-100, each may be empty), weights 0.2 / 0.3 / 0.5;
                mean = sum(rating * weight) / sum(weight) over the ratings present (a missing one's weight is
                shared by the others in proportion); points = mean / 10; no rating at all -> 0 points
  rule points   each rounded to 6 decimals, half away from zero (only art. 15之一 has more)
  total         100 + the rules' points, exact; then rounded to 1 decimal, half up (half away from zero)
  veto          (2025, art. 17之一) dues.rate < 90 -> vetoed: the unit keeps its total and rank but holds no
                award band (hongqi, top20)
  groups        (2025) by units.kind; ranks and bands within each group
  ranking       competition ("1224") within the group: rank = 1 + units of the group that are higher, where
                higher compares (rounded total, events points, publicity points) in that order
  bands         a unit's position = 1 + units of the group that the band may hold (award bands: the units
                not vetoed; other bands: all) and that are higher (top) or lower (bottom);
                k = count, or floor(fraction * group size) with the whole group counted, then at least
                `at_least`; the band holds positions 1..k whose rounded total is >= min_total
                  hongqi    top, count 1, min_total 160, award
                  top20     top, fraction 0.2, at_least 1, award
                  bottom20  bottom, fraction 0.2, at_least 1
                bottom20-twice needs last year's stored run: without a history database nobody holds it,
                and this reference leaves it out.

Rounding is done on the exact decimal values. kaohe computes art. 15之一's mean in binary floating point and
rounds it to 6 decimals; for integer ratings the exact value is never a half at the 7th decimal (the
denominators are 10, 70, 80 and 50 times a power of ten, and a seventh is never a half), so both round the same.
"""

import argparse
import csv
import json
import os
import sys
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, getcontext

getcontext().prec = 60

BASE = Decimal(100)

GROUP_BY = "kind"
GROUP_ORDER = ("township", "street")

TOTAL_DECIMALS = 1
TOTAL_ROUNDING = ROUND_HALF_UP      # "half-up": ties away from zero (Decimal's ROUND_HALF_UP does exactly this)
POINT_DECIMALS = 6                  # every rule's points are kept to 6 decimals, ties away from zero

TIE_BREAK = ("events", "publicity")

STUDY_LOW = Decimal(100)
STUDY_HIGH = Decimal(110)            # 2024

PUBLICITY_MAX = Decimal(20)          # 2024
SITE_POINTS = {"": 0, "district": 2, "city": 3, "province": 4, "national": 4}

VOLUNTEER_POINTS = {                 # level -> points for (<=5, 6..15, >15) volunteers
    "district": (2, 4, 6),
    "city": (3, 6, 9),
    "province": (5, 8, 10),
}

OBSERVATION_POINTS = {"": 0, "district": 3, "city": 6, "province": 10}   # 2024: city 6, province 10
EVENT_POINTS = {"major_event": 5, "competition_award": 5}

REPORT_DUE_DAY = 5

RATING_WEIGHTS = {"self": Decimal("0.2"), "public": Decimal("0.3"), "superior": Decimal("0.5")}
RATING_DIVIDE_BY = Decimal(10)

DUES_BELOW = Decimal(90)

# The bands in the policy's order. side: top or bottom; count, or fraction (+ round, at_least); after;
# min_total / max_total; award.
BANDS = [
    {"id": "hongqi", "side": "top", "count": 1, "min_total": Decimal(160), "award": True},
    {"id": "top20", "side": "top", "fraction": Decimal("0.2"), "at_least": 1, "award": True},
    {"id": "bottom20", "side": "bottom", "fraction": Decimal("0.2"), "at_least": 1, "award": False},
]

RULES = ("study", "smart_league", "youth_home", "late_reports", "publicity", "volunteer", "events", "position",
         "satisfaction")


# ---------------------------------------------------------------------------------------------------------------
# Reading the data

def read_table(folder, table):
    """Rows of `<folder>/<table>.csv` as dicts."""
    path = os.path.join(folder, table + ".csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def flag(value, where):
    if value not in ("0", "1"):
        raise ValueError(f"{where}: expected a flag 0 or 1, got {value!r}")
    return value == "1"


def integer(value, where):
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{where}: expected an integer, got {value!r}") from None


def number(value, where):
    try:
        return Decimal(value)
    except ArithmeticError:
        raise ValueError(f"{where}: expected a number, got {value!r}") from None


def optional_number(value, where):
    if value == "":
        return None
    return number(value, where)


def percent(value, where):
    """`95`, `95%` -> 95. A plain number between -2 and 2 other than 0 is refused (as kaohe does)."""
    text = value.strip()
    if text.endswith("%"):
        return number(text[:-1].strip(), where)
    x = number(text, where)
    if x != 0 and -2 <= x <= 2:
        raise ValueError(f"{where}: ambiguous percentage {value!r}")
    return x


def rows_by_unit(folder, table, unit_ids):
    """{unit_id: [rows in file order]} for every unit; a row of an unknown unit is an error."""
    rows = {unit_id: [] for unit_id in unit_ids}
    for line, row in enumerate(read_table(folder, table), start=2):
        if row["unit_id"] not in rows:
            raise ValueError(f"{table}.csv:{line}: unknown unit {row['unit_id']!r}")
        rows[row["unit_id"]].append(row)
    return rows


def one_row(rows, table, unit_id):
    if len(rows) != 1:
        raise ValueError(f"{table}.csv: unit {unit_id} has {len(rows)} rows, expected exactly one")
    return rows[0]


# ---------------------------------------------------------------------------------------------------------------
# The rules, one unit at a time

def study_points(rows):                                              # art. 9
    points = 0
    for row in rows:
        rate = percent(row["rate"], "study.rate")
        if rate < STUDY_LOW:
            points -= 2
        elif rate < STUDY_HIGH:
            points += 0
        else:
            points += 2
    return Decimal(points)


def smart_league_points(unit):                                       # art. 10
    points = 0
    if not flag(unit["smart_study_entry_ok"], "units.smart_study_entry_ok"):
        points -= 2
    if not flag(unit["party_recommend_entry_ok"], "units.party_recommend_entry_ok"):
        points -= 2
    if not flag(unit["grading_ok"], "units.grading_ok"):
        points -= 3
    return Decimal(points)


def youth_home_points(rows):                                         # art. 11
    qualifying = {month: 0 for month in range(1, 13)}
    for row in rows:
        month = integer(row["month"], "youth_home.month")
        if month not in qualifying:
            continue  # the policy looks at months 1..12 only
        if (integer(row["entered_day"], "youth_home.entered_day") <= 15
                and integer(row["registered"], "youth_home.registered") >= 30
                and integer(row["signed_in"], "youth_home.signed_in") >= 30):
            qualifying[month] += 1
    points = 0
    for month in range(1, 13):
        missing = 3 - qualifying[month]
        if missing > 0:
            points -= missing
    return Decimal(points)


def late_reports_points(rows):                                       # art. 11之一 (2024)
    points = 0
    for month in range(1, 13):
        on_time = False
        late = False
        for row in rows:
            if integer(row["month"], "reports.month") != month or row["submitted_day"] == "":
                continue
            day = integer(row["submitted_day"], "reports.submitted_day")
            if day <= REPORT_DUE_DAY:
                on_time = True
            else:
                late = True
        if on_time:
            points += 0
        elif late:
            points -= 1
        else:
            points -= 2
    return Decimal(points)


def publicity_points(rows):                                          # art. 12
    points = 0
    for row in rows:
        points += 1
        if flag(row["adopted"], "articles.adopted"):
            points += 2
        points += SITE_POINTS[row["site_level"]]
        if flag(row["solicited"], "articles.solicited"):
            points += 1
    return min(Decimal(points), PUBLICITY_MAX)                        # 2024: capped at 20


def volunteer_points(rows):                                          # art. 13
    points = 0
    self_with_link = False
    for row in rows:
        if row["level"] == "self":
            if row["news_link"] != "":
                self_with_link = True
            continue
        volunteers = integer(row["volunteers"], "volunteer.volunteers")
        small, medium, large = VOLUNTEER_POINTS[row["level"]]
        if volunteers <= 5:
            points += small
        elif volunteers <= 15:
            points += medium
        else:
            points += large
        if flag(row["duration_bonus"], "volunteer.duration_bonus"):
            points += 1
    if self_with_link:
        points += 2
    return Decimal(points)


def events_points(rows):                                             # art. 14
    points = 0
    for row in rows:
        if row["kind"] == "observation":
            points += OBSERVATION_POINTS[row["level"]]
        else:
            points += EVENT_POINTS[row["kind"]]
    return Decimal(points)


def position_points(unit):                                           # art. 15
    points = 0
    if flag(unit["position_built"], "units.position_built"):
        points += 10
    if flag(unit["signage"], "units.signage"):
        points += 5
    return Decimal(points)


def satisfaction_points(row):                                        # art. 15之一 (2025)
    weighted_sum = Decimal(0)
    weight_sum = Decimal(0)
    for name in ("self", "public", "superior"):
        rating = optional_number(row[name], "ratings." + name)
        if rating is None:
            continue  # missing: its weight is shared by the others (they are divided by less)
        weighted_sum += rating * RATING_WEIGHTS[name]
        weight_sum += RATING_WEIGHTS[name]
    if weight_sum == 0:
        return Decimal(0)  # no rating at all: 0 points
    mean = weighted_sum / weight_sum
    return mean / RATING_DIVIDE_BY


def rounded(x, decimals, rounding):
    return x.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)


# ---------------------------------------------------------------------------------------------------------------
# Scoring, ranking, bands

def score_units(folder):
    """Every unit with its points per rule, exact and rounded totals, group and vetoes (file order)."""
    units = read_table(folder, "units")
    ids = []
    for unit in units:
        if unit["unit_id"] in ids:
            raise ValueError(f"units.csv: duplicate unit_id {unit['unit_id']}")
        if unit[GROUP_BY] not in GROUP_ORDER:
            raise ValueError(f"units.csv: unit {unit['unit_id']} has {GROUP_BY} {unit[GROUP_BY]!r}")
        ids.append(unit["unit_id"])
    tables = {}
    for table in ("study", "youth_home", "reports", "articles", "volunteer", "events", "dues", "ratings"):
        tables[table] = rows_by_unit(folder, table, ids)

    scored = []
    for unit in units:
        uid = unit["unit_id"]
        points = {
            "study": study_points(tables["study"][uid]),
            "smart_league": smart_league_points(unit),
            "youth_home": youth_home_points(tables["youth_home"][uid]),
            "late_reports": late_reports_points(tables["reports"][uid]),
            "publicity": publicity_points(tables["articles"][uid]),
            "volunteer": volunteer_points(tables["volunteer"][uid]),
            "events": events_points(tables["events"][uid]),
            "position": position_points(unit),
            "satisfaction": satisfaction_points(one_row(tables["ratings"][uid], "ratings", uid)),
        }
        for rule in RULES:
            points[rule] = rounded(points[rule], POINT_DECIMALS, ROUND_HALF_UP)
        exact = BASE
        for rule in RULES:
            exact += points[rule]
        total = rounded(exact, TOTAL_DECIMALS, TOTAL_ROUNDING)
        vetoes = []
        dues = one_row(tables["dues"][uid], "dues", uid)
        if percent(dues["rate"], "dues.rate") < DUES_BELOW:
            vetoes.append("dues")
        scored.append({"unit": uid, "group": unit[GROUP_BY], "points": points, "exact_total": exact,
                       "total": total, "vetoes": vetoes})
    return scored


def ranking_key(u):
    """What `higher` compares: the rounded total, then each tie_break rule's points."""
    key = [u["total"]]
    for rule in TIE_BREAK:
        key.append(u["points"][rule])
    return tuple(key)


def band_size(band, group_size):
    if "count" in band:
        k = band["count"]
    else:
        exact = band["fraction"] * group_size
        mode = band.get("round", "floor")
        if mode == "floor":
            k = int(exact.to_integral_value(rounding=ROUND_FLOOR))
        elif mode == "ceil":
            k = int(exact.to_integral_value(rounding=ROUND_CEILING))
        elif mode == "nearest":
            k = int(exact.to_integral_value(rounding=ROUND_HALF_UP))
        else:
            raise ValueError(f"band {band['id']}: unknown round {mode!r}")
    return max(k, band.get("at_least", 0))


def band_start(band, group_size):
    if "after" not in band:
        return 0
    before = next(b for b in BANDS if b["id"] == band["after"])
    return band_start(before, group_size) + band_size(before, group_size)


def rank_group(members):
    """Sets rank and bands on each unit of one group."""
    for u in members:
        higher = 0
        for v in members:
            if ranking_key(v) > ranking_key(u):
                higher += 1
        u["rank"] = 1 + higher
        u["bands"] = []
    for band in BANDS:
        k = band_size(band, len(members))
        start = band_start(band, len(members))
        may_hold = [v for v in members if not (band["award"] and v["vetoes"])]
        for u in may_hold:
            ahead = 0
            for v in may_hold:
                if band["side"] == "top" and ranking_key(v) > ranking_key(u):
                    ahead += 1
                if band["side"] == "bottom" and ranking_key(v) < ranking_key(u):
                    ahead += 1
            position = 1 + ahead
            if not (start < position <= start + k):
                continue
            if "min_total" in band and u["total"] < band["min_total"]:
                continue
            if "max_total" in band and u["total"] > band["max_total"]:
                continue
            u["bands"].append(band["id"])


def score(folder):
    """Scored, ranked units in output order: by group (GROUP_ORDER), then rank, then unit id."""
    units = score_units(folder)
    for group in GROUP_ORDER:
        rank_group([u for u in units if u["group"] == group])
    units.sort(key=lambda u: (GROUP_ORDER.index(u["group"]), u["rank"], u["unit"].encode("utf-8")))
    return units


def decimal_text(x, decimals):
    text = format(rounded(x, decimals, ROUND_HALF_EVEN), "f")  # already rounded: this only fixes the places
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return text


def to_json(units, with_points=False):
    out = []
    for u in units:
        row = {"unit": u["unit"], "group": u["group"], "rank": u["rank"],
               "total": decimal_text(u["total"], TOTAL_DECIMALS), "bands": u["bands"], "vetoes": u["vetoes"]}
        if with_points:
            row["points"] = {rule: format(u["points"][rule].normalize(), "f") for rule in RULES}
            row["exact_total"] = format(u["exact_total"].normalize(), "f")
        out.append(row)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder holding units.csv, study.csv, ..., dues.csv, ratings.csv")
    parser.add_argument("--points", action="store_true", help="also print each rule's points and the exact total")
    args = parser.parse_args(argv)
    json.dump(to_json(score(args.data), args.points), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
