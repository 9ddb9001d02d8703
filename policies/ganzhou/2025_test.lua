-- Tests of policies/ganzhou/2025.lua: each article at its boundaries, with the 2024 and 2025 changes.
-- Made from 2024_test.lua by `kaohe new`, then updated to the 2025 example revision (satisfaction, the dues
-- veto, groups, tie_break, total rounding, 五四红旗团委 and at_least; see the checklist atop 2025.lua).
-- Run: kaohe test policies/ganzhou/2025.lua   (add --coverage to see what no test exercises)

-- 2025: every unit has exactly one row of `dues` and one of `ratings` (one_row_per_unit), so the rules and the
-- veto may read u.dues[1] and u.ratings[1]. `with_defaults` gives a unit the rows a test does not set:
-- 团费收缴率 100% (not vetoed) and three ratings of 80 (第十五条之一: 8 points). `score` below is the harness's
-- score with these rows filled in; rank {} takes units built the same way.
local DEFAULT_DUES = { { rate = 100 } }
local DEFAULT_RATINGS = { { self = 80, public = 80, superior = 80 } }
local RATED = 8  -- 第十五条之一's points for DEFAULT_RATINGS

local function with_defaults(spec)
  local t = {}
  for k, v in pairs(spec) do t[k] = v end
  if t.dues == nil then t.dues = DEFAULT_DUES end
  if t.ratings == nil then t.ratings = DEFAULT_RATINGS end
  return t
end

local harness_score = score
local function score(spec) return harness_score(with_defaults(spec)) end

-- 12 months with 3 qualifying 青年之家 activities each: article 11 deducts nothing.
local function full_year(change)
  local rows = {}
  for month = 1, 12 do
    for _ = 1, 3 do
      rows[#rows + 1] = { month = month, entered_day = 10, registered = 40, signed_in = 40 }
    end
  end
  if change then change(rows) end
  return rows
end

local function study(rate)
  return score { study = { { period = "2025-01", rate = rate } }, youth_home = full_year() }
end

-- 第九条
function test_study_rate_99_99_is_below_100() expect_points(study(99.99), "study", -2) end
function test_study_rate_100_scores_nothing() expect_points(study(100), "study", 0) end
function test_study_rate_109_99_scores_nothing() expect_points(study(109.99), "study", 0) end
function test_study_rate_110_earns_the_bonus() expect_points(study(110), "study", 2) end  -- 2024: was 120
function test_study_counts_every_period()
  local r = score { study = { { rate = 50 }, { rate = 130 }, { rate = 115 }, { rate = 105 } } }
  expect_points(r, "study", 2)
end

-- 第十条
function test_entries_all_done_deduct_nothing()
  local r = score { unit = { smart_study_entry_ok = 1, party_recommend_entry_ok = 1, grading_ok = 1 } }
  expect_points(r, "smart_league", 0)
end
function test_each_missing_entry_is_deducted()
  expect_points(score { unit = { party_recommend_entry_ok = 1, grading_ok = 1 } }, "smart_league", -2)
  expect_points(score { unit = { smart_study_entry_ok = 1, grading_ok = 1 } }, "smart_league", -2)
  expect_points(score { unit = { smart_study_entry_ok = 1, party_recommend_entry_ok = 1 } }, "smart_league", -3)
  expect_points(score { unit = {} }, "smart_league", -7)
end

-- 第十一条
function test_youth_home_full_year_deducts_nothing()
  expect_points(score { youth_home = full_year() }, "youth_home", 0)
end
function test_youth_home_entered_on_day_15_qualifies()
  local r = score { youth_home = full_year(function(rows) rows[1].entered_day = 15 end) }
  expect_points(r, "youth_home", 0)
end
function test_youth_home_entered_on_day_16_does_not()
  local r = score { youth_home = full_year(function(rows) rows[1].entered_day = 16 end) }
  expect_points(r, "youth_home", -1)
end
function test_youth_home_29_sign_ins_do_not_qualify()
  local r = score { youth_home = full_year(function(rows) rows[4].signed_in = 29 end) }
  expect_points(r, "youth_home", -1)
end
function test_youth_home_30_sign_ins_and_registrations_qualify()
  local r = score { youth_home = full_year(function(rows) rows[4].signed_in = 30; rows[5].registered = 30 end) }
  expect_points(r, "youth_home", 0)
end
function test_youth_home_29_registrations_do_not_qualify()
  local r = score { youth_home = full_year(function(rows) rows[7].registered = 29 end) }
  expect_points(r, "youth_home", -1)
end
function test_youth_home_empty_month_deducts_3()
  local r = score { youth_home = full_year(function(rows)
    for i = #rows, 1, -1 do if rows[i].month == 8 then table.remove(rows, i) end end
  end) }
  expect_points(r, "youth_home", -3)
end
function test_youth_home_no_activities_deducts_36()
  expect_points(score {}, "youth_home", -36)
end

-- 第十二条
function test_publicity_points_per_article()
  local r = score { articles = {
    { month = 1 },                                            -- 报送 1
    { month = 2, adopted = 1 },                               -- 1 + 2
    { month = 3, site_level = "district" },                   -- 1 + 2
    { month = 4, site_level = "city", solicited = 1 },        -- 1 + 3 + 1
    { month = 5, adopted = 1, site_level = "province" },      -- 1 + 2 + 4
    { month = 6, site_level = "national" },                   -- 1 + 4
  } }
  expect_points(r, "publicity", 20)  -- 24 points, capped at 20 in 2024
end

function test_publicity_below_the_cap_is_not_changed()
  local r = score { articles = { { month = 1, adopted = 1 }, { month = 2, site_level = "city" } } }
  expect_points(r, "publicity", 3 + 4)
end

-- 第十三条
local function volunteers(level, n, bonus)
  return score { volunteer = { { level = level, volunteers = n, duration_bonus = bonus or 0 } } }
end
function test_volunteer_district_tiers()
  expect_points(volunteers("district", 5), "volunteer", 2)
  expect_points(volunteers("district", 6), "volunteer", 4)
  expect_points(volunteers("district", 15), "volunteer", 4)
  expect_points(volunteers("district", 16), "volunteer", 6)
end
function test_volunteer_city_tiers()
  expect_points(volunteers("city", 5), "volunteer", 3)
  expect_points(volunteers("city", 6), "volunteer", 6)
  expect_points(volunteers("city", 15), "volunteer", 6)
  expect_points(volunteers("city", 16), "volunteer", 9)
end
function test_volunteer_province_tiers()
  expect_points(volunteers("province", 5), "volunteer", 5)
  expect_points(volunteers("province", 6), "volunteer", 8)
  expect_points(volunteers("province", 15), "volunteer", 8)
  expect_points(volunteers("province", 16), "volunteer", 10)
end
function test_volunteer_duration_bonus_adds_one()
  expect_points(volunteers("city", 6, 1), "volunteer", 7)
end
function test_volunteer_self_organised_needs_a_link_and_counts_once()
  expect_points(score { volunteer = { { level = "self", volunteers = 8 } } }, "volunteer", 0)
  local r = score { volunteer = {
    { level = "self", volunteers = 8, news_link = "https://example.org/a" },
    { level = "self", volunteers = 9, news_link = "https://example.org/b" },
  } }
  expect_points(r, "volunteer", 2)
end

-- 第十四条
function test_events_points_by_kind_and_level()
  local r = score { events = {
    { kind = "major_event" }, { kind = "competition_award" },
    { kind = "observation", level = "district" }, { kind = "observation", level = "city" },
    { kind = "observation", level = "province" },
  } }
  expect_points(r, "events", 5 + 5 + 3 + 6 + 10)  -- 2024: city 6, province 10
end

-- 第十五条
function test_position_and_signage()
  expect_points(score { unit = { position_built = 1 } }, "position", 10)
  expect_points(score { unit = { signage = 1 } }, "position", 5)
  expect_points(score { unit = { position_built = 1, signage = 1 } }, "position", 15)
end

-- 第十一条之一 (2024)
local function reports(day_for_month)
  local rows = {}
  for month = 1, 12 do rows[#rows + 1] = { month = month, submitted_day = day_for_month(month) } end
  return rows
end
function test_reports_on_time_deduct_nothing()
  expect_points(score { reports = reports(function() return 5 end) }, "late_reports", 0)
end
function test_report_on_day_6_is_late()
  local r = score { reports = reports(function(m) return m == 3 and 6 or 1 end) }
  expect_points(r, "late_reports", -1)
end
function test_missing_report_deducts_2()
  expect_points(score { reports = reports(function(m) if m ~= 4 then return 2 end end) }, "late_reports", -2)
  expect_points(score {}, "late_reports", -24)
end
function test_a_late_and_an_on_time_report_in_one_month_count_as_on_time()
  local rows = reports(function() return 1 end)
  rows[#rows + 1] = { month = 1, submitted_day = 20 }
  expect_points(score { reports = rows }, "late_reports", 0)
end

-- 总分 = 100 + 各条款得分 (2025: with 第十五条之一; ratings of 80 give whole points, so rounding changes nothing)
function test_total_adds_every_article_to_the_base()
  local r = score {
    unit = { smart_study_entry_ok = 1, party_recommend_entry_ok = 1, grading_ok = 1, signage = 1 },
    study = { { rate = 115 } },
    youth_home = full_year(),
    reports = reports(function() return 3 end),
    articles = { { month = 1, adopted = 1 } },
  }
  expect_total(r, 100 + 2 + 0 + 0 + 0 + 3 + 0 + 0 + 5 + RATED)
end

-- 第十五条之一 (2025): (0.2·自评 + 0.3·群众评价 + 0.5·上级党组织评价) / 10; a missing rating's weight is shared
local function rated(self, public, superior)
  return score { ratings = { { self = self, public = public, superior = superior } } }
end
function test_satisfaction_weights_the_three_ratings()
  expect_points(rated(80, 90, 70), "satisfaction", (16 + 27 + 35) / 10)
  expect_points(rated(100, 0, 0), "satisfaction", 2)
  expect_points(rated(0, 100, 0), "satisfaction", 3)
  expect_points(rated(0, 0, 100), "satisfaction", 5)
end
function test_satisfaction_full_marks_and_nothing()
  expect_points(rated(100, 100, 100), "satisfaction", 10)
  expect_points(rated(0, 0, 0), "satisfaction", 0)
end
function test_satisfaction_two_decimals()
  expect_points(rated(85, 85, 84), "satisfaction", 8.45)
  expect_points(rated(87, 92, 78), "satisfaction", 8.4)
end
function test_satisfaction_missing_public_rating_is_reweighted()
  -- (0.2·80 + 0.5·70) / 0.7 = 72.857142… → 7.285714 points (kept to six decimals)
  local r = rated(80, nil, 70)
  expect_points(r, "satisfaction", 7.285714)
  expect(r.notes.satisfaction == "缺群众评价（其权重按比例分配）；有效权重 0.7/1", "the note names the missing rating")
end
function test_satisfaction_missing_self_rating_is_reweighted()
  expect_points(rated(nil, 60, 100), "satisfaction", (18 + 50) / 0.8 / 10)  -- 8.5
end
function test_satisfaction_one_rating_left_counts_alone()
  expect_points(rated(nil, 65, nil), "satisfaction", 6.5)
  expect_points(rated(nil, nil, 91), "satisfaction", 9.1)
end
function test_satisfaction_no_rating_scores_0()
  local r = rated(nil, nil, nil)
  expect_points(r, "satisfaction", 0)
  expect(r.notes.satisfaction == "自评、群众评价、上级党组织评价均缺，不计分", "the note says why")
end
function test_satisfaction_adds_to_the_total()
  local r = score {
    unit = { smart_study_entry_ok = 1, party_recommend_entry_ok = 1, grading_ok = 1 },
    youth_home = full_year(),
    reports = reports(function() return 3 end),
    ratings = { { self = 90, public = 90, superior = 90 } },
  }
  expect_total(r, 100 + 9)
end

-- Ranking, groups, vetoes and bands (2025). rank { units = { ... } } scores each unit (each element is what
-- score {} takes) and ranks them as `kaohe score` does.

-- A unit of `kind` that loses nothing under 第十条, 第十一条 and 第十一条之一, with `bonus` study rows at 120%
-- (+2 each) and ratings of 80 (+8): total 108 + 2·bonus. `more` sets other tables or unit columns.
local function member(id, kind, bonus, more)
  local spec = {
    unit = { unit_id = id, kind = kind, smart_study_entry_ok = 1, party_recommend_entry_ok = 1, grading_ok = 1 },
    youth_home = full_year(),
    reports = reports(function() return 1 end),
    study = {},
  }
  for i = 1, bonus do spec.study[i] = { period = string.format("2025-%02d", i), rate = 120 } end
  for k, v in pairs(more or {}) do
    if k == "unit" then
      for column, value in pairs(v) do spec.unit[column] = value end
    else
      spec[k] = v
    end
  end
  return with_defaults(spec)
end

-- 第十七条之一: 团费收缴率 below 90% is a veto; exactly 90% is not
function test_dues_below_90_is_a_veto()
  local r = rank { units = {
    member("A", "township", 12, { dues = { { rate = 89.99 } } }),
    member("B", "township", 10, { dues = { { rate = 90 } } }),
    member("C", "township", 8),
  } }
  expect_veto(r, "A", "dues", true)
  expect_veto(r, "B", "dues", false)
  expect_veto(r, "C", "dues", false)
end

-- A vetoed first place keeps its rank; the next unit takes 五四红旗团委 and 前20%·推荐
function test_vetoed_first_place_passes_the_award_on()
  local r = rank { units = {
    member("A", "township", 30, { dues = { { rate = 85 } } }),  -- 168
    member("B", "township", 28),                                -- 164
    member("C", "township", 20),                                -- 148
    member("D", "township", 10),
    member("E", "township", 5),
  } }
  expect_rank(r, "A", 1)
  expect_rank(r, "B", 2)
  expect_veto(r, "A", "dues", true)
  expect_band(r, "A", "hongqi", false)
  expect_band(r, "A", "top20", false)
  expect_band(r, "B", "hongqi", true)
  expect_band(r, "B", "top20", true)   -- 20% of 5 is 1: the first unit not vetoed
  expect_band(r, "C", "top20", false)
end

-- 五四红旗团委 needs at least 160 points: a group whose first has fewer has none
function test_hongqi_needs_160_points()
  local r = rank { units = {
    member("A", "township", 26),   -- 160
    member("S1", "street", 25),    -- 158
    member("S2", "street", 5),
  } }
  expect_band(r, "A", "hongqi", true)
  expect_band(r, "S1", "hongqi", false)
  expect_band(r, "S1", "top20", true)
end

-- Townships and streets are ranked apart; 20% of 3 streets rounds down to 0, at_least = 1 gives each band one
function test_small_group_gets_at_least_one()
  local r = rank { units = {
    member("T1", "township", 30), member("T2", "township", 20), member("T3", "township", 15),
    member("T4", "township", 12), member("T5", "township", 11), member("T6", "township", 10),
    member("S1", "street", 8), member("S2", "street", 6), member("S3", "street", 4),
  } }
  expect_group(r, "T1", "township")
  expect_group(r, "S1", "street")
  expect_rank(r, "S1", 1)   -- below every township, first of the streets
  expect_rank(r, "S3", 3)
  expect_band(r, "S1", "top20", true)
  expect_band(r, "S2", "top20", false)
  expect_band(r, "S3", "bottom20", true)
  expect_band(r, "S2", "bottom20", false)
  expect_band(r, "T1", "top20", true)    -- 20% of 6 townships is 1
  expect_band(r, "T2", "top20", false)
  expect_band(r, "T6", "bottom20", true)
end

-- A veto keeps no unit out of 后20% (not an award)
function test_veto_does_not_spare_bottom20()
  local r = rank { units = {
    member("A", "street", 20), member("B", "street", 10), member("C", "street", 0, { dues = { { rate = 50 } } }),
  } }
  expect_veto(r, "C", "dues", true)
  expect_band(r, "C", "bottom20", true)
end

-- Equal totals: 第十四条 (events) first, then 第十二条 (publicity)
function test_tie_on_the_total_is_broken_by_events()
  local r = rank { units = {
    member("A", "township", 10, { events = { { kind = "major_event" } } }),  -- 133, events 5
    member("B", "township", 10, { unit = { signage = 1 } }),                -- 133, events 0
    member("C", "township", 0),
    member("D", "township", 0),
    member("E", "township", 0),
  } }
  expect_rank(r, "A", 1)
  expect_rank(r, "B", 2)
  expect_band(r, "A", "top20", true)
  expect_band(r, "B", "top20", false)
end
function test_tie_on_total_and_events_is_broken_by_publicity()
  local r = rank { units = {
    member("A", "township", 10, { articles = { { month = 1 } } }),                -- 129, publicity 1
    member("B", "township", 10, { articles = { { month = 1, adopted = 1 } } }),   -- 131
    member("C", "township", 11),                                                  -- 130, publicity 0
    member("D", "township", 9, { articles = { { month = 2, adopted = 1 } } }),    -- 129, publicity 3
  } }
  expect_rank(r, "B", 1)
  expect_rank(r, "C", 2)
  expect_rank(r, "D", 3)
  expect_rank(r, "A", 4)
end
function test_units_equal_on_every_key_share_a_rank_and_a_band()
  local r = rank { units = {
    member("A", "township", 10), member("B", "township", 10),
    member("C", "township", 5), member("D", "township", 4), member("E", "township", 3),
  } }
  expect_rank(r, "A", 1)
  expect_rank(r, "B", 1)
  expect_rank(r, "C", 3)
  expect_band(r, "A", "top20", true)   -- both, although 20% of 5 is 1
  expect_band(r, "B", "top20", true)
end

-- The total is rounded to one decimal, half up, before ranking: 8.45 and 8.5 points tie, 8.44 does not
function test_total_rounds_half_up_before_ranking()
  local r = rank { units = {
    member("A", "township", 10, { ratings = { { self = 85, public = 85, superior = 84 } } }),  -- 128.45 → 128.5
    member("B", "township", 10, { ratings = { { self = 85, public = 85, superior = 85 } } }),  -- 128.5
    member("C", "township", 10, { ratings = { { self = 82, public = 85, superior = 85 } } }),  -- 128.44 → 128.4
  } }
  expect_rank(r, "A", 1)
  expect_rank(r, "B", 1)
  expect_rank(r, "C", 3)
end

-- 第十七条: 连续两年后20% needs last year's 后20% too (a test gives the earlier run's bands)
function test_bottom20_two_years_running()
  local units = {
    member("A", "street", 20), member("B", "street", 10), member("C", "street", 0),
  }
  local again = rank { units = units, history = { [2024] = { C = { "bottom20" } } } }
  expect_band(again, "C", "bottom20", true)
  expect_band(again, "C", "bottom20-twice", true)
  local first = rank { units = units, history = { [2024] = { B = { "bottom20" } } } }
  expect_band(first, "C", "bottom20-twice", false)
  -- no run of 2024 at all: nobody
  expect_band(rank { units = units }, "C", "bottom20-twice", false)
end
