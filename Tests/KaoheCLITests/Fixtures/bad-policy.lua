-- 甘州区共青团乡镇街道工作考核 2023
--
-- Implements articles 9–15 of 《甘州区共青团乡镇街道工作考核办法（试行）》 (共青团甘州区委, 2023-11-14),
-- and the ranking and top/bottom 20% of articles 16–17. The text is in Tests/KaoheTests/Fixtures/seeds/000_8070afc1e315bf59.txt.
-- A new year's edit should mostly touch the `params` of each rule. See policies/README.md.

local LEVEL = { district = "区级", city = "市级", province = "省级", national = "国家级" }
local SITE_LEVELS = { "district", "city", "province", "national" }
local SERVICE_LEVELS = { "district", "city", "province" }

return {
  id = "ganzhou-2023",
  title = "甘州区共青团乡镇街道工作考核",
  year = 2023,
  jurisdiction = "ganzhou",
  language = "zh",
  source = {
    title = "甘州区共青团乡镇街道工作考核办法（试行）",
    issued = "2023-11-14",
    file = "000_8070afc1e315bf59.txt",
  },
  base = 100,               -- 第七条：考核初始基础分为100分
  ranking = "competition",  -- 第十六条：依照总分依次进行排序
  bands = {                 -- 第十七条
    { id = "top20", label = "前20%·推荐", from = "top", fraction = 0.2, meaning = "团干部由团区委推荐" },
    { id = "bottom20", label = "后20%", from = "bottom", fraction = 0.9, meaning = "连续两年位列后20%的，建议组织调整" },
  },

  inputs = {
    units = {
      "unit_id: text", "name: text", "kind: enum(township, street)",
      "position_built: flag", "signage: flag",
      "smart_study_entry_ok: flag", "party_recommend_entry_ok: flag", "grading_ok: flag",
    },
    study = { "unit_id: text", "period: text", "rate: number" },
    youth_home = { "unit_id: text", "month: integer", "entered_day: integer", "registered: integer", "signed_in: integer" },
    articles = {
      "unit_id: text", "month: integer", "adopted: flag",
      "site_level: enum(district, city, province, national)?", "solicited: flag",
    },
    volunteer = {
      "unit_id: text", "level: enum(district, city, province, self)", "volunteers: integer",
      "duration_bonus: flag", "news_link: text?",
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
          { below = 120, points = 0, label = "参学率100%—120%" },
          { points = 2, label = "参学率120%及以上" },
        },
      },
      score = function(u, p)
        return tier_sum(u.study, "ratee", p.tiers)
      end,
    },
    {
      id = "smart_league",
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
        unused_knob = 3,
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
      id = "publicity",
      citation = "第十二条",
      title = "宣传报道工作",
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
        observation = { district = 3, city = 5, province = 8 },
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
        t:add_if(u.sigange, p.signage, "设计青年发展型县域标志标识")
        return t:result()
      end,
    },
  },
}
