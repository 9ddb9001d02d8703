-- A small policy with every award feature the bulletin shows: two groups ranked apart, a one-vote veto,
-- a quota band with a score line and one after it, a fraction band, tie-break keys, totals to two decimals.
return {
  id = "awards-2025", title = "示例街道乡镇团委评优", year = 2025, base = 0,
  source = { title = "示例评优办法", issued = "2025-01-01" },
  groups = { by = "kind", order = { "township", "street" }, labels = { township = "乡镇", street = "街道" } },
  total = { decimals = 2, rounding = "half-up" },
  tie_break = { "bonus" },
  vetoes = {
    { id = "dues", citation = "第九条", title = "团费收缴率低于90%", params = { below = 90 },
      when = function(u, p) return u.dues < p.below, fmt("团费收缴率 %g%%", u.dues) end },
  },
  bands = {
    { id = "hongqi", label = "五四红旗团委", from = "top", count = 1, min_total = 85, award = true,
      meaning = "第十条：每组第1名且不低于85分" },
    { id = "xianjin", label = "先进团委", from = "top", count = 2, after = "hongqi", min_total = 75, award = true },
    { id = "bottom20", label = "后20%", from = "bottom", fraction = 0.2 },
  },
  inputs = { units = { "unit_id: text", "name: text", "kind: enum(township, street)", "points: number",
                       "bonus: number", "dues: number" } },
  rules = {
    { id = "points", citation = "第一条", title = "工作得分", score = function(u) return u.points end },
    { id = "bonus", citation = "第二条", title = "加分", max = 5, score = function(u) return u.bonus end },
  },
}
