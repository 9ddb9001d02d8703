-- The next year of groups-2024.lua: 中乡 (T5) is a street, the veto line is 95%, 青年大学习 weighs 0.6.
return {
  id = "groups-2025", title = "分类考核", year = 2025, jurisdiction = "fixture", base = 60,
  groups = { by = "kind_2025", order = { "township", "street" }, labels = { township = "乡镇", street = "街道" } },
  total = { decimals = 2 },
  bands = {
    { id = "hongqi", label = "红旗团委", from = "top", count = 1, award = true, meaning = "授予五四红旗团委" },
    { id = "last", label = "末位", from = "bottom", count = 1 },
    { id = "last-twice", label = "连续两年末位", from = "history", band = "last", years = 2, meaning = "约谈主要负责同志" },
  },
  vetoes = {
    { id = "dues", citation = "第九条", title = "团费收缴率低于95%", params = { below = 95 },
      when = function(u, p) return u.dues < p.below, fmt("团费收缴率 %g%%", u.dues) end },
  },
  inputs = {
    units = { "unit_id: text", "name: text", "kind: enum(township, street)", "kind_2025: enum(township, street)",
              "work: number", "study: number", "dues: number" },
  },
  rules = {
    { id = "work", citation = "第三条", title = "日常工作", score = function(u) return u.work end },
    { id = "study", citation = "第四条", title = "青年大学习", params = { weight = 0.6 },
      score = function(u, p) return u.study * p.weight end },
  },
}
