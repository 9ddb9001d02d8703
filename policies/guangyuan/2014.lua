-- 共青团广元市委 2014年度目标绩效指标 (Cangxi county's table as the worked example)
--
-- Implements the 34 rows of 《共青团2014年度目标绩效指标完成情况自查评分表》 (共青团广元市委, 2014-11-20;
-- ../shared/seeds/004_794567a7e4afe5d1.txt): one rule per row, in its order, citing the row, with its text and
-- its maximum points exactly as printed (135 in all). Each county reports its self-check score per row;
-- the city verifies the figures. The numbers in the printed table are Cangxi's targets: every county has its
-- own, in the `targets` table; a target not given there is Cangxi's.
--
-- Readings (the params of each row say which applies):
--   count      max × min(1, actual / target)
--   parts      max × the mean of the parts' ratios min(1, actual / target); a yes/no part is 1 or 0
--   yesno      max when every part is done (1), else 0
--   assessor   the city's score for the row, clamped to [0, max]
--   incidents  max − 0.5 per incident − 1 per especially serious one, at most 5 deducted (can go below 0)
--   guarantee  15 − the listed deductions, not below 0 (扣分制)
-- Every row's points are rounded to two decimals (half up) before they are added up.
--
-- Figures: the city's verified figure for a part (table `results`) counts; where the city recorded none,
-- the county's self-reported figure (table `selfcheck`, column `actual`) stands.

local DECIMALS = 2

local function round_half_up(x)
  local scale = 10 ^ DECIMALS
  if x >= 0 then return math.floor(x * scale + 0.5 + 1e-9) / scale end
  return -math.floor(-x * scale + 0.5 + 1e-9) / scale
end

-- The figures of one row for one unit: verified (results), self-reported (selfcheck) and targets, by part.
local function figures(u, indicator)
  local verified, reported, targets = {}, {}, {}
  for _, r in ipairs(filter(u.results, { indicator = indicator })) do
    verified[r.part] = (verified[r.part] or 0) + r.actual
  end
  for _, r in ipairs(filter(u.selfcheck, { indicator = indicator, part = { exists = true }, actual = { exists = true } })) do
    reported[r.part] = (reported[r.part] or 0) + r.actual
  end
  for _, r in ipairs(filter(u.targets, { indicator = indicator })) do
    targets[r.part] = r.target
  end
  return verified, reported, targets
end

local READINGS = {}

function READINGS.count(p, verified, reported, targets)
  local sum, notes = 0, {}
  for _, part in ipairs(p.parts) do
    local target = targets[part.id] or part.target
    local actual = verified[part.id] or reported[part.id] or 0
    local ratio = target > 0 and math.min(1, actual / target) or 1
    sum = sum + ratio
    notes[#notes + 1] = fmt("%s %s/%s", part.label, points_text(actual):gsub("^%+", ""), points_text(target):gsub("^%+", ""))
  end
  local mean = sum / #p.parts
  return p.max * mean, table.concat(notes, "；") .. fmt(" → %s × %.0f%%", points_text(p.max):gsub("^%+", ""), mean * 100)
end
READINGS.parts = READINGS.count

function READINGS.yesno(p, verified, reported)
  for _, part in ipairs(p.parts) do
    local done = verified[part.id] or reported[part.id] or 0
    if done < 1 then return 0, part.label .. "：未完成" end
  end
  return p.max, "已完成"
end

function READINGS.assessor(p, verified)
  local score = verified.score
  if score == nil then return 0, "团市委尚未评分" end
  return clamp(score, 0, p.max), fmt("团市委评定 %s", points_text(score):gsub("^%+", ""))
end

function READINGS.incidents(p, verified, reported)
  local n = verified.incidents or reported.incidents or 0
  local serious = verified.serious or reported.serious or 0
  local deducted = math.min(p.max_deduction, n * p.per_incident + serious * p.per_serious)
  return p.max - deducted, fmt("案（事）件 %d 起、特别重大 %d 起，扣 %s", n, serious, points_text(deducted):gsub("^%+", ""))
end

function READINGS.guarantee(p, verified)
  local deducted = verified.deduction or 0
  return math.max(p.floor, p.max - deducted), fmt("保障指标扣 %s", points_text(deducted):gsub("^%+", ""))
end

local function score_row(u, p)
  local verified, reported, targets = figures(u, p.indicator)
  local points, note = READINGS[p.kind](p, verified, reported, targets)
  return round_half_up(points), note
end

-- One row of the table as a rule; its reading and figures are params.
local function indicator(row)
  local params = { indicator = row.id, kind = row.kind, max = row.max, parts = row.parts }
  if row.kind == "incidents" then
    params.per_incident, params.per_serious, params.max_deduction = 0.5, 1, 5
  elseif row.kind == "guarantee" then
    params.floor = 0
  end
  return { id = row.id, citation = row.citation, title = row.title, max = row.max, min = row.min or 0,
           params = params, score = score_row }
end

return {
  id = "guangyuan-2014",
  title = "共青团广元市委目标绩效考核",
  year = 2014,
  jurisdiction = "guangyuan",
  language = "zh",
  source = {
    title = "共青团2014年度目标绩效指标完成情况自查评分表（以苍溪为例）",
    issued = "2014-11-20",
    file = "004_794567a7e4afe5d1.txt",
  },
  base = 0,
  ranking = "dense",   -- 中国式排名
  bands = {},
  selfcheck = { table = "selfcheck", indicator = "indicator", score = "self_score",
                completed = "completed", reason = "reason" },

  inputs = {
    units = { "unit_id: text", "name: text" },
    results = { "unit_id: text", "indicator: text", "part: text", "actual: number" },
    targets = { "unit_id: text", "indicator: text", "part: text", "target: number" },
    selfcheck = {
      "unit_id: text", "indicator: text", "part: text?", "actual: number?", "self_score: number?",
      "completed: text?", "reason: text?",
    },
  },

  rules = {
    indicator {
      id = "r01", citation = "第1行", max = 3, kind = "count",
      title = "青年技能大比武和大练兵、创新创效活动不少于3次。",
      parts = { { id = "activities", label = "技能大比武、创新创效活动（次）", target = 3 } },
    },
    indicator {
      id = "r02", citation = "第2行", max = 3, kind = "count",
      title = "新招募派遣西部计划志愿者19名，全面落实西部计划志愿补助、体检等各项，建立健全本地区西部计划志愿者管理、服务制度。",
      parts = { { id = "volunteers", label = "新招募派遣西部计划志愿者（名）", target = 19 } },
    },
    indicator {
      id = "r03", citation = "第3行", max = 3, kind = "parts",
      title = "大力推进志愿者队伍建设，成立县青年志愿者协会，培训各类志愿者40名，积极服务重大项目建设和赛会活动。",
      parts = { { id = "association", label = "成立县青年志愿者协会（是=1）", target = 1 }, { id = "trained", label = "培训各类志愿者（名）", target = 40 } },
    },
    indicator {
      id = "r04", citation = "第4行", max = 3, kind = "parts",
      title = "组织开展大中专学生“三下乡”、社会实践活动不少于5次，开展优秀青年人才座谈会或恳谈会不少于2场。",
      parts = { { id = "practice", label = "“三下乡”、社会实践活动（次）", target = 5 }, { id = "forums", label = "优秀青年人才座谈会、恳谈会（场）", target = 2 } },
    },
    indicator {
      id = "r05", citation = "第5行", max = 3, kind = "count",
      title = "搭建参与公益项目平台，培育青年社会组织2个。",
      parts = { { id = "organisations", label = "培育青年社会组织（个）", target = 2 } },
    },
    indicator {
      id = "r06", citation = "第6行", max = 4, kind = "count",
      title = "深入学习宣传贯彻党的十八届三中全会、省委十届四次全会和市委六届八次全会精神，开展以培育和践行社会主义核心价值观为重点的青少年思想教育实践活动不少于3次。",
      parts = { { id = "activities", label = "思想教育实践活动（次）", target = 3 } },
    },
    indicator {
      id = "r07", citation = "第7行", max = 4, kind = "count",
      title = "开展“我的中国梦”、“党旗辉映团旗红”、“民族精神代代传”、“手拉手”、“红领巾相约中国梦”“争当四好少年”等主题实践活动不少于10次。",
      parts = { { id = "activities", label = "主题实践活动（次）", target = 10 } },
    },
    indicator {
      id = "r08", citation = "第8行", max = 4, kind = "parts",
      title = "建立共青团系统微博和微信体系，粉丝数（累加）达到5000人以上，全年转发上级团组织微博微信不少于400条；组建40人的县级网络宣传员队伍，积极开展网络舆论收集和引导；全年完成工作创新案例和工作调研文章各1篇；完成广元青年网信息采用和积分任务。",
      parts = { { id = "followers", label = "微博微信粉丝（人）", target = 5000 }, { id = "reposts", label = "转发上级团组织微博微信（条）", target = 400 }, { id = "propagandists", label = "县级网络宣传员（人）", target = 40 }, { id = "cases", label = "工作创新案例（篇）", target = 1 }, { id = "articles", label = "工作调研文章（篇）", target = 1 } },
    },
    indicator {
      id = "r09", citation = "第9行", max = 3, kind = "count",
      title = "开展寻找乡村“好青年”、身边“好少年”工作不少于1次。",
      parts = { { id = "activities", label = "寻找“好青年”“好少年”（次）", target = 1 } },
    },
    indicator {
      id = "r10", citation = "第10行", max = 2, kind = "count",
      title = "见习基地上岗青年人数不少于45人。",
      parts = { { id = "trainees", label = "见习基地上岗青年（人）", target = 45 } },
    },
    indicator {
      id = "r11", citation = "第11行", max = 3, kind = "parts",
      title = "选树创业先进典型不少于5个，开展“青春创业大讲堂”活动全年开展场次不少于2次。",
      parts = { { id = "models", label = "创业先进典型（个）", target = 5 }, { id = "lectures", label = "“青春创业大讲堂”（场）", target = 2 } },
    },
    indicator {
      id = "r12", citation = "第12行", max = 3, kind = "parts",
      title = "青年就业创业培训650人、农村青年技能培训80人。",
      parts = { { id = "employment", label = "青年就业创业培训（人）", target = 650 }, { id = "rural", label = "农村青年技能培训（人）", target = 80 } },
    },
    indicator {
      id = "r13", citation = "第13行", max = 2, kind = "count",
      title = "开展广大青少年“走下网络、走出宿舍、走向操场”等群众性课外体育锻炼活动不少于2次。",
      parts = { { id = "activities", label = "课外体育锻炼活动（次）", target = 2 } },
    },
    indicator {
      id = "r14", citation = "第14行", max = 1, kind = "yesno",
      title = "规范12355青少年服务平台工作，做到专人负责、热线通电。",
      parts = { { id = "done", label = "专人负责、热线通电（是=1）", target = 1 } },
    },
    indicator {
      id = "r15", citation = "第15行", max = 1.5, kind = "count",
      title = "开展禁毒、普法、防艾、防邪和法制宣传教育等活动8个。",
      parts = { { id = "activities", label = "禁毒、普法、防艾、防邪和法制宣传教育活动（个）", target = 8 } },
    },
    indicator {
      id = "r16", citation = "第16行", max = 1.5, kind = "count",
      title = "开展共青团与人大代表、政协委员面对面活动2个。",
      parts = { { id = "activities", label = "与人大代表、政协委员面对面活动（个）", target = 2 } },
    },
    indicator {
      id = "r17", citation = "第17行", max = 1.5, kind = "assessor",
      title = "每半年上报青少年犯罪数据及特重大案（事）件。青少年（未成年人）涉罪率、青少年（未成年人）犯罪率低于全省前三年平均值，相比上升，酌情扣分。",
      parts = { { id = "score", label = "团市委评定得分（酌情扣分）" } },
    },
    indicator {
      id = "r18", citation = "第18行", max = 1.5, kind = "incidents",
      min = -3.5,   -- 1.5 minus at most 5 deducted: the row can go below zero
      title = "因工作不力导致本地区发生青少年犯罪、侵害未成年人权益的案（事）件，造成严重后果且社会影响恶劣，每发生一起扣0.5分，特别重大的扣1分，最多扣5分。",
      parts = { { id = "incidents", label = "案（事）件（起）" }, { id = "serious", label = "特别重大案（事）件（起）" } },
    },
    indicator {
      id = "r19", citation = "第19行", max = 1, kind = "count",
      title = "每年至少召开一次预青和未保工作联席会议，推动重点青少年群体服务管理和预防犯罪及未保工作。",
      parts = { { id = "meetings", label = "预青和未保工作联席会议（次）", target = 1 } },
    },
    indicator {
      id = "r20", citation = "第20行", max = 2, kind = "count",
      title = "组建专项志愿者队伍开展重点青少年群体关爱、未成年人保护宣传工作一年不少于20次，确保关爱宣传工作常态化开展。",
      parts = { { id = "activities", label = "关爱、保护宣传（次）", target = 20 } },
    },
    indicator {
      id = "r21", citation = "第21行", max = 2, kind = "parts",
      title = "巩固乡镇组织格局创新、大团委“回头看”、“百公里团建示范走廊工程”工作成果；加强学校团建，强化班级团支部建设，积极开展社团建团、公寓建团、宿舍建团，加强民办、高职院校和独立学院建团工作；加大在经济开发区、工业集中发展区、农业产业园区等区域建立团组织的力度；深化农村区域化团建工作和农村合作组织建团；拓展新兴领域团建，探索新媒体团建、新社会组织团建；非公企业建团12个，驻外团组织全面完成换届；进一步抓好全团带队工作。",
      parts = { { id = "nonpublic", label = "非公企业建团（个）", target = 12 }, { id = "overseas", label = "驻外团组织全面完成换届（是=1）", target = 1 } },
    },
    indicator {
      id = "r22", citation = "第22行", max = 2, kind = "parts",
      title = "党委专题听取共青团工作汇报1次以上，政府召开与共青团工作联席会1次以上，研究解决共青团组织在工作中遇到的具体困难和问题。",
      parts = { { id = "briefings", label = "党委专题听取共青团工作汇报（次）", target = 1 }, { id = "joint_meetings", label = "政府与共青团工作联席会（次）", target = 1 } },
    },
    indicator {
      id = "r23", citation = "第23行", max = 3, kind = "yesno",
      title = "落实县（区）和乡镇（街道）共青团工作经费，乡镇（街道）团组织达到有阵地、有牌子、有人员、有经费、有活动。",
      parts = { { id = "done", label = "经费落实，“五有”达标（是=1）", target = 1 } },
    },
    indicator {
      id = "r24", citation = "第24行", max = 3, kind = "parts",
      title = "开展团干部大调研、大走访活动，团县委班子成员赴基层走访、调研不低于20次、35天。",
      parts = { { id = "visits", label = "走访、调研（次）", target = 20 }, { id = "days", label = "走访、调研（天）", target = 35 } },
    },
    indicator {
      id = "r25", citation = "第25行", max = 2, kind = "parts",
      title = "建设服务型团组织，加强团（队）干部队伍建设，全年培训辅导员不少于50人、基层团干部不少于50人。",
      parts = { { id = "counsellors", label = "培训辅导员（人）", target = 50 }, { id = "cadres", label = "培训基层团干部（人）", target = 50 } },
    },
    indicator {
      id = "r26", citation = "第26行", max = 2, kind = "yesno",
      title = "重视、支持群团组织在乡镇（街道）、社区试点建立群团组织社会服务中心，机构、人员、工作经费落实，工作有序开展。",
      parts = { { id = "done", label = "群团组织社会服务中心建立并运行（是=1）", target = 1 } },
    },
    indicator {
      id = "r27", citation = "第27行", max = 2, kind = "count",
      title = "县（区）、乡镇（街道）团委班子成员配备率不低于90%。",
      parts = { { id = "staffing_rate", label = "团委班子成员配备率（%）", target = 90 } },
    },
    indicator {
      id = "r28", citation = "第28行", max = 2, kind = "yesno",
      title = "按期换届。",
      parts = { { id = "done", label = "按期换届（是=1）", target = 1 } },
    },
    indicator {
      id = "r29", citation = "第29行", max = 2, kind = "yesno",
      title = "做好全团带队工作。",
      parts = { { id = "done", label = "做好全团带队工作（是=1）", target = 1 } },
    },
    indicator {
      id = "r30", citation = "第30行", max = 15, kind = "parts",
      title = "创建星级留守学生之家2所，建立“留守学生成长电子档案”，开展留守学生圆梦活动3次，为留守学生圆梦200个，为贫困地区中小学配置文体设施15套。",
      parts = { { id = "homes", label = "星级留守学生之家（所）", target = 2 }, { id = "records", label = "“留守学生成长电子档案”（是=1）", target = 1 }, { id = "activities", label = "留守学生圆梦活动（次）", target = 3 }, { id = "wishes", label = "为留守学生圆梦（个）", target = 200 }, { id = "facilities", label = "文体设施（套）", target = 15 } },
    },
    indicator {
      id = "r31", citation = "第31行", max = 10, kind = "parts",
      title = "摸清、完善六类重点青少年群体台账，开展关爱和服务管理活动5个/次；新建社区青少年之家1个；资助贫困学生32名。",
      parts = { { id = "registers", label = "六类重点青少年群体台账（是=1）", target = 1 }, { id = "activities", label = "关爱和服务管理活动（个/次）", target = 5 }, { id = "homes", label = "新建社区青少年之家（个）", target = 1 }, { id = "students", label = "资助贫困学生（名）", target = 32 } },
    },
    indicator {
      id = "r32", citation = "第32行", max = 10, kind = "parts",
      title = "完成80人小额贷款；积极开展创业创新大赛，培育青年创业人才5名；开展关心青年交友、婚恋活动5个；做好网宣工作。",
      parts = { { id = "loans", label = "小额贷款（人）", target = 80 }, { id = "talents", label = "培育青年创业人才（名）", target = 5 }, { id = "events", label = "交友、婚恋活动（个）", target = 5 }, { id = "publicity", label = "网宣工作（是=1）", target = 1 } },
    },
    indicator {
      id = "r33", citation = "第33行", max = 15, kind = "assessor",
      title = "团市委交办的其他工作。",
      parts = { { id = "score", label = "团市委评定得分" } },
    },
    indicator {
      id = "r34", citation = "第34行", max = 15, kind = "guarantee",
      title = "见保障指标（实行扣分制）",
      parts = { { id = "deduction", label = "保障指标扣分（每项一行）" } },
    },
  },
}
