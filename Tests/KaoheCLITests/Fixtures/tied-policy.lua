return {
  id = "tied", title = "All units tie", year = 2024, base = 0,
  bands = { { id = "top20", label = "前20%", from = "top", fraction = 0.2 }, { id = "bottom20", label = "后20%", from = "bottom", fraction = 0.2 } },
  inputs = { units = { "unit_id: text", "name: text", "a: number" } },
  rules = {
    { id = "a", citation = "第一条", title = "A", score = function(u) return u.a, "a" end },
  },
}
