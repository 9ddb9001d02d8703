#!/usr/bin/env python3
"""DuckDB scorer for the Ganzhou 2023 rules: a benchmark peer of kaohe.

    scripts/ganzhou_duckdb.py DATA_DIR [--output FILE]

Implements exactly the readings of scripts/ganzhou_oracle.py (see its docstring),
as scripts/ganzhou_pandas.py does, as one SQL statement over read_csv (the columns
named by each file's header line, the ones the rules read with explicit types, no
sniffing; DuckDB parses only the columns a query uses),
run by an in-memory DuckDB on all cores and written with COPY ... TO; no Python
loop over rows or units. Prints the same CSV `rank,unit,name,total,bands`, sorted
by rank then unit_id, so its output and `kaohe score --format csv` can be compared
byte for byte.

How each article is computed (one CTE per record table, each a GROUP BY unit_id):
  art. 9   sum(CASE WHEN rate < 100 THEN -2 WHEN rate >= 120 THEN 2 ELSE 0 END)
  art. 10  from units: -2 / -2 / -3 for each of the three entry flags at 0
  art. 11  count(*) of qualifying rows (entered_day <= 15, registered >= 30, signed_in >= 30,
           month 1..12) per (unit, month), least(count, 3) summed per unit: -36 + that
  art. 12  sum(1 + 2*adopted + solicited + CASE site_level ...)
  art. 13  sum over district/city/province rows of a CASE by level and head-count tier
           + duration_bonus, plus max(CASE WHEN level = 'self' AND news_link <> '' THEN 2 ELSE 0)
  art. 14  sum(CASE kind ... observation by level, no level 0)
  art. 15  from units: +10 position_built, +5 signage
  ranking  the per-table sums UNION ALL, summed per unit and LEFT JOINed onto units
           (coalesce 0; records of unknown units are dropped); rank() OVER (ORDER BY total DESC)
           is the competition rank; k = (2*N) // 10 in integers; top20 when rank <= k,
           bottom20 when rank() OVER (ORDER BY total) (1 + units strictly lower) <= k; both
           bands joined with ";", as kaohe's English CSV joins them; no band is NULL, which
           COPY writes as an empty cell (an empty string would be written as "")

Rates are read and compared as DOUBLE, as the pandas script compares float64: exact
for the two-decimal rates of the data contract (only a rate written with more than
~15 significant digits right next to 100 or 120 could be judged differently from the
oracle's Decimal). Like the pandas script, the CSV is written with minimal quoting
and without kaohe's spreadsheet guards (BOM, CRLF, a `'` before a name that starts
with `=`, `+`, `-` or `@`): the synthetic data has no such names.
Needs duckdb (scripts/bench installs it into .bench/venv).
"""

import argparse
import csv
import os
import sys

import duckdb

BASE = 100
ART11_MAX = 3 * 12  # 3 qualifying activities a month, 12 months

# The columns each table's rules read, with their SQL types.
COLUMNS = {
    "units": {"unit_id": "VARCHAR", "name": "VARCHAR", "position_built": "TINYINT", "signage": "TINYINT",
              "smart_study_entry_ok": "TINYINT", "party_recommend_entry_ok": "TINYINT", "grading_ok": "TINYINT"},
    "study": {"unit_id": "VARCHAR", "rate": "DOUBLE"},
    "youth_home": {"unit_id": "VARCHAR", "month": "INTEGER", "entered_day": "INTEGER",
                   "registered": "INTEGER", "signed_in": "INTEGER"},
    "articles": {"unit_id": "VARCHAR", "adopted": "TINYINT", "site_level": "VARCHAR", "solicited": "TINYINT"},
    "volunteer": {"unit_id": "VARCHAR", "level": "VARCHAR", "volunteers": "INTEGER",
                  "duration_bonus": "TINYINT", "news_link": "VARCHAR"},
    "events": {"unit_id": "VARCHAR", "kind": "VARCHAR", "level": "VARCHAR"},
}

QUERY = f"""
WITH
units AS (
  SELECT unit_id, name,
         {BASE} - {ART11_MAX}
         - 2 * (1 - smart_study_entry_ok) - 2 * (1 - party_recommend_entry_ok) - 3 * (1 - grading_ok)  -- art. 10
         + 10 * position_built + 5 * signage                                                             -- art. 15
         AS own
  FROM {{units}}
),
study AS (  -- art. 9
  SELECT unit_id, sum(CASE WHEN rate < 100 THEN -2 WHEN rate >= 120 THEN 2 ELSE 0 END) AS points
  FROM {{study}} GROUP BY unit_id
),
youth_home AS (  -- art. 11: min(3, qualifying activities) per month
  SELECT unit_id, sum(least(n, 3)) AS points
  FROM (SELECT unit_id, month, count(*) AS n FROM {{youth_home}}
        WHERE entered_day <= 15 AND registered >= 30 AND signed_in >= 30 AND month BETWEEN 1 AND 12
        GROUP BY unit_id, month)
  GROUP BY unit_id
),
articles AS (  -- art. 12
  SELECT unit_id,
         sum(1 + 2 * adopted + solicited
             + CASE site_level WHEN 'district' THEN 2 WHEN 'city' THEN 3
                               WHEN 'province' THEN 4 WHEN 'national' THEN 4 ELSE 0 END) AS points
  FROM {{articles}} GROUP BY unit_id
),
volunteer AS (  -- art. 13
  SELECT unit_id,
         coalesce(sum(CASE level
                        WHEN 'district' THEN CASE WHEN volunteers <= 5 THEN 2 WHEN volunteers <= 15 THEN 4 ELSE 6 END
                        WHEN 'city' THEN CASE WHEN volunteers <= 5 THEN 3 WHEN volunteers <= 15 THEN 6 ELSE 9 END
                        WHEN 'province' THEN CASE WHEN volunteers <= 5 THEN 5 WHEN volunteers <= 15 THEN 8 ELSE 10 END
                      END + duration_bonus), 0)
         + max(CASE WHEN level = 'self' AND news_link <> '' THEN 2 ELSE 0 END) AS points
  FROM {{volunteer}} GROUP BY unit_id
),
events AS (  -- art. 14
  SELECT unit_id,
         sum(CASE kind WHEN 'major_event' THEN 5 WHEN 'competition_award' THEN 5
                       WHEN 'observation' THEN CASE level WHEN 'district' THEN 3 WHEN 'city' THEN 5
                                                          WHEN 'province' THEN 8 ELSE 0 END
                       ELSE 0 END) AS points
  FROM {{events}} GROUP BY unit_id
),
points AS (
  SELECT unit_id, sum(points) AS points
  FROM (FROM study UNION ALL FROM youth_home UNION ALL FROM articles UNION ALL FROM volunteer UNION ALL FROM events)
  GROUP BY unit_id
),
scored AS (
  SELECT unit_id, name, CAST(own + coalesce(points, 0) AS BIGINT) AS total
  FROM units LEFT JOIN points USING (unit_id)
),
ranked AS (  -- arts. 16-17: competition ranking, top / bottom 20%
  SELECT rank() OVER (ORDER BY total DESC) AS rank, unit_id AS unit, name, total,
         rank() OVER (ORDER BY total) AS lower_plus_one, (2 * count(*) OVER ()) // 10 AS k
  FROM scored
)
SELECT rank, unit, name, total,
       CASE WHEN rank <= k AND lower_plus_one <= k THEN 'top20;bottom20'
            WHEN rank <= k THEN 'top20'
            WHEN lower_plus_one <= k THEN 'bottom20' END AS bands
FROM ranked
ORDER BY rank, unit
"""


def sql_string(s):
    return "'" + s.replace("'", "''") + "'"


def header(path):
    """The column names of a CSV file's first line (a UTF-8 byte order mark set aside)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def source(folder, table):
    """read_csv of one table; a missing record table is empty.

    The column list comes from the file's header line, the needed columns with their
    types and any other as VARCHAR (which the query never reads), so DuckDB need not
    sniff the dialect or the types (auto_detect = false).
    """
    needed = COLUMNS[table]
    path = os.path.join(folder, table + ".csv")
    if table != "units" and not os.path.exists(path):
        nulls = ", ".join(f"NULL::{t} AS {c}" for c, t in needed.items())
        return f"(SELECT {nulls} WHERE false)"
    columns = ", ".join(f"{sql_string(c)}: {sql_string(needed.get(c, 'VARCHAR'))}" for c in header(path))
    return (f"read_csv({sql_string(path)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
            f"escape = '\"', columns = {{{columns}}})")


def query(folder):
    """The ranking of a data folder as one SQL SELECT."""
    return QUERY.format(**{table: source(folder, table) for table in COLUMNS})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder holding units.csv, study.csv, ...")
    parser.add_argument("--output", help="write the CSV here instead of stdout")
    args = parser.parse_args(argv)
    out = args.output or "/dev/stdout"
    con = duckdb.connect()
    con.execute(f"COPY ({query(args.data)}) TO {sql_string(out)} (FORMAT csv, HEADER true, DELIMITER ',')")
    con.close()


if __name__ == "__main__":
    main()
