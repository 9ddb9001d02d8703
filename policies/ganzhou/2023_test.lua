-- Tests of policies/ganzhou/2023.lua: each article at its boundaries.
-- Run: kaohe test policies/ganzhou/2023.lua   (add --coverage to see what no test exercises)

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
  return score { study = { { period = "2023-01", rate = rate } }, youth_home = full_year() }
end

-- 第九条
function test_study_rate_99_99_is_below_100() expect_points(study(99.99), "study", -2) end
function test_study_rate_100_scores_nothing() expect_points(study(100), "study", 0) end
function test_study_rate_119_99_scores_nothing() expect_points(study(119.99), "study", 0) end
function test_study_rate_120_earns_the_bonus() expect_points(study(120), "study", 2) end
function test_study_counts_every_period()
  local r = score { study = { { rate = 50 }, { rate = 130 }, { rate = 125 }, { rate = 105 } } }
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
  expect_points(r, "publicity", 1 + 3 + 3 + 5 + 7 + 5)
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
  expect_points(r, "events", 5 + 5 + 3 + 5 + 8)
end

-- 第十五条
function test_position_and_signage()
  expect_points(score { unit = { position_built = 1 } }, "position", 10)
  expect_points(score { unit = { signage = 1 } }, "position", 5)
  expect_points(score { unit = { position_built = 1, signage = 1 } }, "position", 15)
end

-- 总分 = 100 + 各条款得分
function test_total_adds_every_article_to_the_base()
  local r = score {
    unit = { smart_study_entry_ok = 1, party_recommend_entry_ok = 1, grading_ok = 1, signage = 1 },
    study = { { rate = 125 } },
    youth_home = full_year(),
    articles = { { month = 1, adopted = 1 } },
  }
  expect_total(r, 100 + 2 + 0 + 0 + 3 + 0 + 0 + 5)
end
