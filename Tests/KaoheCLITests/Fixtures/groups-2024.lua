-- A fixture for comparisons and the history with groups (分类排名), a one-vote veto (一票否决), quota bands,
-- a band over two years and totals to two decimals. groups-2025.lua is the next year's: 中乡 (T5) is a
-- street from then on, the veto's line rises from 90% to 95% and 青年大学习 weighs more.
return {
  id = "groups-2024", title = "分类考核", year = 2024, jurisdiction = "fixture", base = 60,
  groups = { by = "kind", order = { "township", "street" }, labels = { township = "乡镇", street = "街道" } },
  total = { decimals = 2 },
  bands = {
    { id = "hongqi", label = "红旗团委", from = "top", count = 1, award = true, meaning = "授予五四红旗团委" },
    { id = "last", label = "末位", from = "bottom", count = 1 },
    { id = "last-twice", label = "连续两年末位", from = "history", band = "last", years = 2, meaning = "约谈主要负责同志" },
  },
  vetoes = {
    { id = "dues", citation = "第九条", title = "团费收缴率低于90%", params = { below = 90 },
      when = function(u, p) return u.dues < p.below, fmt("团费收缴率 %g%%", u.dues) end },
  },
  inputs = {
    units = { "unit_id: text", "name: text", "kind: enum(township, street)", "kind_2025: enum(township, street)",
              "work: number", "study: number", "dues: number" },
  },
  rules = {
    { id = "work", citation = "第三条", title = "日常工作", score = function(u) return u.work end },
    { id = "study", citation = "第四条", title = "青年大学习", params = { weight = 0.5 },
      score = function(u, p) return u.study * p.weight end },
  },
}
