-- kaohe new: ganzhou-2025, derived from policies/ganzhou/2024.lua (ganzhou-2024, sha256 559c73818ae7…).
-- Reviewed for 2025 (an example revision: the 2025 changes below are made up to show a yearly edit, including
-- a ranking that uses the newer policy fields: groups, vetoes, total rounding and award bands):
--   [x] 第十六条: townships and streets are ranked and awarded separately (`groups` by `kind`: 乡镇, 街道)
--   [x] 第十六条: ties on the total are broken by 第十四条 (events), then 第十二条 (publicity) (`tie_break`)
--   [x] 第十六条: the total is rounded to one decimal, half up (`total`), and ranked as rounded
--   [x] 第十七条: new band 五四红旗团委 (hongqi): the first of each group, with at least 160 points (award)
--   [x] 第十七条: 前20%·推荐 is an award and takes at least one unit per group (`at_least = 1`, so a group of
--       4 streets still has one); 后20% takes at least one unit per group; 连续两年后20% unchanged
--   [x] new 第十七条之一 (veto): a unit whose 团费收缴率 is below 90% holds no award band; it keeps its total
--       and rank (table `dues`, one row per unit)
--   [x] new 第十五条之一: 党建带团建综合评价 (satisfaction), the weighted mean of three ratings (self 20%,
--       public 30%, superior 50%) divided by 10, 0–10 points; a missing rating's weight is shared by the
--       others, a unit with all three missing scores 0 (table `ratings`, one row per unit)
--   [x] other articles and their params unchanged from 2024

-- 甘州区共青团乡镇街道工作考核 2025
--
-- Implements articles 9–15 of 《甘州区共青团乡镇街道工作考核办法（试行）》 (共青团甘州区委, 2023-11-14),
-- as revised in the 2024 and 2025 examples, and the ranking, awards and top/bottom 20% of articles 16–17.
-- The text is in ../shared/seeds/000_8070afc1e315bf59.txt. A new year's edit should mostly touch the
-- `params` of each rule. See policies/README.md.

local LEVEL = { district = "区级", city = "市级", province = "省级", national = "国家级" }
local SITE_LEVELS = { "district", "city", "province", "national" }
local SERVICE_LEVELS = { "district", "city", "province" }
local RATING = { self = "自评", public = "群众评价", superior = "上级党组织评价" }

return {
  id = "ganzhou-2025",
  title = "甘州区共青团乡镇街道工作考核",
  year = 2025,
  parent = { id = "ganzhou-2024", sha256 = "559c73818ae7d1868b1a25df903cc98d6b02d56aedef2c2fed0572cc579ff474", file = "2024.lua" },
  jurisdiction = "ganzhou",
  language = "zh",
  source = {
    title = "甘州区共青团乡镇街道工作考核办法（试行，2025年修订示例）",
    issued = "2025-11-14",
    file = "000_8070afc1e315bf59.txt",
  },
  base = 100,               -- 第七条：考核初始基础分为100分
  ranking = "competition",  -- 第十六条：依照总分依次进行排序
  -- 2025: townships and streets are ranked and awarded separately (分类排名)
  groups = { by = "kind", order = { "township", "street" }, labels = { township = "乡镇", street = "街道" } },
  total = { decimals = 1, rounding = "half-up" },  -- 2025: 总分保留一位小数（四舍五入）
  tie_break = { "events", "publicity" },            -- 2025: 总分相同的，依次比较第十四条、第十二条得分
  bands = {                 -- 第十七条
    -- 2025: the first of each group, if it has at least 160 points (no unit vetoed under `vetoes` holds an award)
    { id = "hongqi", label = "五四红旗团委", from = "top", count = 1, min_total = 160, award = true,
      meaning = "评为“五四红旗团委”" },
    { id = "top20", label = "前20%·推荐", from = "top", fraction = 0.2, award = true, at_least = 1,
      meaning = "推荐：团干部由团区委向区委组织部和同级党组织推荐" },
    { id = "bottom20", label = "后20%", from = "bottom", fraction = 0.2, at_least = 1 },
    { id = "bottom20-twice", label = "连续两年后20%", from = "history", band = "bottom20", years = 2,
      meaning = "建议同级党组织对其主要负责同志进行组织调整" },
  },
  vetoes = {                -- 2025: 一票否决
    {
      id = "dues",
      citation = "第十七条之一",
      title = "团费收缴率低于90%",
      params = { below = 90 },
      when = function(u, p)
        local rate = u.dues[1].rate
        if rate < p.below then return true, fmt("团费收缴率 %g%%，取消评先评优和推荐资格", rate) end
        return false
      end,
    },
  },

  inputs = {
    units = {
      "unit_id: text", "name: text", "kind: enum(township, street)",
      "position_built: flag", "signage: flag",
      "smart_study_entry_ok: flag", "party_recommend_entry_ok: flag", "grading_ok: flag",
    },
    study = { "unit_id: text", "period: text", "rate: percent" },
    youth_home = { "unit_id: text", "month: integer", "entered_day: integer", "registered: integer", "signed_in: integer" },
    articles = {
      "unit_id: text", "month: integer", "adopted: flag",
      "site_level: enum(district, city, province, national)?", "solicited: flag",
    },
    volunteer = {
      "unit_id: text", "level: enum(district, city, province, self)", "volunteers: integer",
      "duration_bonus: flag", "news_link: text?",
    },
    reports = { "unit_id: text", "month: integer", "submitted_day: integer?" },
    dues = { "unit_id: text", "rate: percent", one_row_per_unit = true },            -- 2025: 团费收缴率
    ratings = {                                                                     -- 2025: 综合评价, 0–100
      "unit_id: text", "self: number?", "public: number?", "superior: number?", one_row_per_unit = true,
    },
    events = {
      "unit_id: text", "kind: enum(major_event, competition_award, observation)",
      "level: enum(district, city, province)?",
    },
  },

  rules = {
    {
      id = "study",
      citation = "第九条",
      title = "“青年大学习”参学率",
      params = {
        tiers = {
          { below = 100, points = -2, label = "参学率不足100%" },
          { below = 110, points = 0, label = "参学率100%—110%" },
          { points = 2, label = "参学率110%及以上" },
        },
      },
      score = function(u, p)
        return tier_sum(u.study, "rate", p.tiers)
      end,
    },
    {
      id = "smart_league",
      citation = "第十条",
      title = "智慧团建系统录入",
      range = { -7, 0 },
      params = { smart_study_entry = -2, party_recommend_entry = -2, grading = -3 },
      score = function(u, p)
        local t = tally()
        t:add_if(not u.smart_study_entry_ok, p.smart_study_entry, "未按时完成教育实践模块专题学习录入")
        t:add_if(not u.party_recommend_entry_ok, p.party_recommend_entry, "未按时完成推优入党系统录入")
        t:add_if(not u.grading_ok, p.grading, "未按时完成“对标定级”")
        return t:result()
      end,
    },
    {
      id = "youth_home",
      citation = "第十一条",
      title = "“青年之家”云平台活跃度",
      range = { -36, 0 },
      params = {
        activities_per_month = 3,  -- 每个月须录入活动3场次
        entered_by_day = 15,       -- 每月15日之前完成录入
        min_registered = 30,       -- 报名人数不少于30人
        min_signed_in = 30,        -- 签到人数不少于30人
        per_missing = -1,          -- 每少一场合格活动扣1分
      },
      score = function(u, p)
        local qualifying = count_by(u.youth_home, "month", {
          entered_day = { max = p.entered_by_day },
          registered = { min = p.min_registered },
          signed_in = { min = p.min_signed_in },
        })
        local t = tally()
        for month = 1, 12 do
          local missing = math.max(0, p.activities_per_month - (qualifying[month] or 0))
          if missing > 0 then
            t:add(p.per_missing * missing, fmt("合格活动缺%d场的月份", missing))
          end
        end
        return t:result()
      end,
    },
    {
      id = "late_reports",
      citation = "第十一条之一",
      title = "月度工作报告按时报送",
      range = { -24, 0 },
      params = {
        due_day = 5,       -- 每月5日前报送上月工作报告
        late = -1,         -- 逾期报送扣1分
        missing = -2,      -- 未报送扣2分
      },
      score = function(u, p)
        local t = tally()
        local on_time = count_by(u.reports, "month", { submitted_day = { max = p.due_day } })
        local late = count_by(u.reports, "month", { submitted_day = { above = p.due_day } })
        for month = 1, 12 do
          if (on_time[month] or 0) == 0 then
            if (late[month] or 0) > 0 then
              t:add(p.late, "逾期报送的月份")
            else
              t:add(p.missing, "未报送的月份")
            end
          end
        end
        return t:result()
      end,
    },
    {
      id = "publicity",
      citation = "第十二条",
      title = "宣传报道工作",
      max = 20,                  -- 2024: at most 20 points a year
      params = {
        submitted = 1,
        adopted = 2,
        site = { district = 2, city = 3, province = 4, national = 4 },
        solicited = 1,
      },
      score = function(u, p)
        local t = tally()
        t:add(p.submitted, "报送", count(u.articles))
        t:add(p.adopted, "采用", count(u.articles, { adopted = true }))
        for _, level in ipairs(SITE_LEVELS) do
          t:add(p.site[level], LEVEL[level] .. "网站采用", count(u.articles, { site_level = level }))
        end
        t:add(p.solicited, "约稿", count(u.articles, { solicited = true }))
        return t:result()
      end,
    },
    {
      id = "volunteer",
      citation = "第十三条",
      title = "志愿服务工作",
      params = {
        tiers = {   -- by head count: 5人及以下, 5人以上15人及以下, 15人以上
          district = {
            { upto = 5, points = 2, label = "5人及以下" }, { upto = 15, points = 4, label = "6—15人" },
            { points = 6, label = "15人以上" },
          },
          city = {
            { upto = 5, points = 3, label = "5人及以下" }, { upto = 15, points = 6, label = "6—15人" },
            { points = 9, label = "15人以上" },
          },
          province = {
            { upto = 5, points = 5, label = "5人及以下" }, { upto = 15, points = 8, label = "6—15人" },
            { points = 10, label = "15人以上" },
          },
        },
        duration_bonus = 1,   -- 根据参与时长，酌情加1分
        self_organized = 2,   -- 定期自行组织志愿服务活动积2分（须提供新闻链接）
      },
      score = function(u, p)
        local t = tally()
        for _, level in ipairs(SERVICE_LEVELS) do
          t:merge(tier_sum(u.volunteer, "volunteers", p.tiers[level], { level = level }, LEVEL[level] .. "活动志愿者"))
        end
        t:add(p.duration_bonus, "参与时长加分", count(u.volunteer, { level = SERVICE_LEVELS, duration_bonus = true }))
        t:add_if(any(u.volunteer, { level = "self", news_link = { exists = true } }), p.self_organized,
          "自行组织志愿服务（有新闻链接）")
        return t:result()
      end,
    },
    {
      id = "events",
      citation = "第十四条",
      title = "参与重大活动",
      params = {
        major_event = 5,
        competition_award = 5,
        observation = { district = 3, city = 6, province = 10 },
      },
      score = function(u, p)
        local t = tally()
        t:add(p.major_event, "参与团区委重大活动", count(u.events, { kind = "major_event" }))
        t:add(p.competition_award, "赛事获得名次", count(u.events, { kind = "competition_award" }))
        for _, level in ipairs(SERVICE_LEVELS) do
          t:add(p.observation[level], LEVEL[level] .. "观摩活动", count(u.events, { kind = "observation", level = level }))
        end
        t:add(0, "观摩活动（未填级别）", count(u.events, { kind = "observation", level = { exists = false } }))
        return t:result()
      end,
    },
    {
      id = "position",
      citation = "第十五条",
      title = "阵地打造",
      range = { 0, 15 },
      params = { position_built = 10, signage = 5 },
      score = function(u, p)
        local t = tally()
        t:add_if(u.position_built, p.position_built, "打造团青工作阵地")
        t:add_if(u.signage, p.signage, "设计青年发展型县域标志标识")
        return t:result()
      end,
    },
    {
      -- 2025: the three ratings (0–100) weighted together, a tenth of the mean as points; a missing rating's
      -- weight goes to the others in proportion (weighted_mean's default), and a unit with none of the three
      -- scores 0 (weighted_mean refuses a mean of nothing)
      id = "satisfaction",
      citation = "第十五条之一",
      title = "党建带团建综合评价",
      range = { 0, 10 },
      params = {
        weights = { self = 0.2, public = 0.3, superior = 0.5 },  -- 自评20%、群众评价30%、上级党组织评价50%
        divide_by = 10,                                          -- 综合评分（满分100）除以10计分，满分10分
      },
      score = function(u, p)
        local r = u.ratings[1]
        if r.self == nil and r.public == nil and r.superior == nil then
          return 0, "自评、群众评价、上级党组织评价均缺，不计分"
        end
        local mean, note = weighted_mean({ self = r.self, public = r.public, superior = r.superior }, p.weights,
          { labels = RATING })
        return mean / p.divide_by, note
      end,
    },
  },
}
