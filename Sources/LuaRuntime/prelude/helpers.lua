-- kaohe prelude: the helpers for rules (documented in policies/README.md).
-- Exports: helpers (name -> function; the globals part makes each a global), tally_methods (the method
-- tables of tally(), to be frozen), tier_coverage (`kaohe test` sets tier_coverage.tier_hits to record
-- which tiers evaluations pick: tiers table -> { [index] = true }).
local K = ...
local P = K.P

local error, type, rawget, rawequal, rawlen, setmetatable = error, type, rawget, rawequal, rawlen, setmetatable
local ipairs = ipairs
local sfmt, tconcat = string.format, table.concat
local mtype, floor = math.type, math.floor
local tostring = K.tostring
local rows, notes_wanted, see_through, sorted_keys = P.rows, P.notes_wanted, P.see_through, P.sorted_keys
local coverage = {}

-- A filter written as a table: { column = value }, { column = { v1, v2 } } (any of),
-- { column = { min =, max =, above =, below = } } (a range), { column = { exists = true|false } }.
-- fastpath.c implements the same conditions in C for a unit's rows; this is the Lua twin for arrays. Both
-- read only plain tables (or the contents of read-only policy tables): a filter with a metatable of its
-- own is refused, as its __pairs or __index would make the two paths disagree.
local function plain_filter(t, helper, what, level)
  local s, plain = see_through(t)
  if not plain then
    error(sfmt("%s: the %s is a table with a metatable; a filter must be a plain table of conditions " ..
      "(column = value, list, or { min/max/above/below/exists })", helper, what), level + 1)
  end
  return s
end

local function condition(want, helper)
  if type(want) ~= "table" then return function(x) return x == want end end
  want = plain_filter(want, helper, "condition", 5)
  local n = rawlen(want)
  if n > 0 then
    local list = {}
    for j = 1, n do list[j] = rawget(want, j) end
    return function(x)
      for j = 1, n do if x == list[j] then return true end end
      return false
    end
  end
  local exists, lo, above, hi, below = rawget(want, "exists"), rawget(want, "min"), rawget(want, "above"),
      rawget(want, "max"), rawget(want, "below")
  if exists ~= nil then
    if lo ~= nil or above ~= nil or hi ~= nil or below ~= nil then
      error(sfmt("%s: use either exists or a range in a condition", helper), 4)
    end
    local want_value = exists and true or false
    return function(x) return (x ~= nil) == want_value end
  end
  if lo == nil and above == nil and hi == nil and below == nil then
    error("a filter condition must be a value, a list of values, or a table with min/max/above/below or exists", 4)
  end
  return function(x)
    if x == nil then return false end
    if lo ~= nil and not (x >= lo) then return false end
    if above ~= nil and not (x > above) then return false end
    if hi ~= nil and not (x <= hi) then return false end
    if below ~= nil and not (x < below) then return false end
    return true
  end
end

local function matcher(pred, level, helper)
  if pred == nil then return function() return true end end
  local tp = type(pred)
  if tp == "function" then return pred end
  if tp == "table" then
    helper = helper or "filter"
    local spec = plain_filter(pred, helper, "filter", (level or 2) + 1)
    local cols, tests = sorted_keys(spec, helper), {}
    for i = 1, #cols do tests[i] = condition(rawget(spec, cols[i]), helper) end
    local n = #cols
    return function(r)
      for i = 1, n do
        if not tests[i](r[cols[i]]) then return false end
      end
      return true
    end
  end
  error("bad filter: expected a function(row) or a table of column = condition", (level or 2) + 1)
end

-- A unit's list of rows with no filter or a table filter is scanned in C.
local native_count, native_count_by, native_sum, native_tier_rows = P.count, P.count_by, P.sum, P.tier_rows
local native_filter, native_any = P.filter, P.any
local function native(list, pred)
  return type(list) == "userdata" and (pred == nil or type(pred) == "table")
end

local helpers = {}

--- count(list, pred) -> number of rows for which pred holds (pred: function(row) or {column = value}).
function helpers.count(list, pred)
  if native(list, pred) then return native_count(list, pred) end
  local rs = rows(list)
  if pred == nil then return #rs end
  local f, n = matcher(pred, 2, "count"), 0
  for i = 1, #rs do if f(rs[i]) then n = n + 1 end end
  return n
end

--- sum(list, f [, pred]) -> the sum of f(row) over rows for which pred holds (f: function(row) or a
--- column name); nil counts as 0.
function helpers.sum(list, f, pred)
  if type(f) == "string" and native(list, pred) then return native_sum(list, f, pred) end
  local keep = pred ~= nil and matcher(pred, 2, "sum") or nil
  if type(f) == "string" then
    local col = f
    f = function(r) return r[col] end
  end
  local rs, s = rows(list), 0
  for i = 1, #rs do
    local r = rs[i]
    if keep == nil or keep(r) then
      local v = f(r)
      if v == true then v = 1 elseif v == false or v == nil then v = 0 end
      s = s + v
    end
  end
  return s
end

--- filter(list, pred) -> a plain array of the rows for which pred holds.
function helpers.filter(list, pred)
  if native(list, pred) then return native_filter(list, pred) end
  local f, out, rs = matcher(pred, 2, "filter"), {}, rows(list)
  for i = 1, #rs do local r = rs[i]; if f(r) then out[#out + 1] = r end end
  return out
end

function helpers.any(list, pred)
  if native(list, pred) then return native_any(list, pred) end
  local f, rs = matcher(pred, 2, "any"), rows(list)
  for i = 1, #rs do if f(rs[i]) then return true end end
  return false
end

function helpers.all(list, pred)
  local f, rs = matcher(pred, 2, "all"), rows(list)
  for i = 1, #rs do if not f(rs[i]) then return false end end
  return true
end

--- count_by(list, column, pred) -> { value = number of rows } over rows for which pred holds.
function helpers.count_by(list, column, pred)
  if native(list, pred) then return native_count_by(list, column, pred) end
  local f, out, rs = matcher(pred, 2, "count_by"), {}, rows(list)
  for i = 1, #rs do
    local r = rs[i]
    if f(r) then local k = r[column]; if k ~= nil then out[k] = (out[k] or 0) + 1 end end
  end
  return out
end

--- group_by(list, column) -> { value = array of rows }.
function helpers.group_by(list, column)
  local out, rs = {}, rows(list)
  for i = 1, #rs do
    local r = rs[i]
    local k = r[column]
    if k ~= nil then
      local g = out[k]
      if g == nil then g = {}; out[k] = g end
      g[#g + 1] = r
    end
  end
  return out
end

--- tier(x, tiers) -> points, tier. Tiers are tried in order; a tier matches when x < below, x <= upto,
--- or unconditionally when it has neither. Each tier has `points` and may have a `label`.
function helpers.tier(x, tiers)
  if type(x) ~= "number" then error(sfmt("tier: expected a number, got %s", type(x)), 2) end
  for i = 1, #tiers do
    local t = tiers[i]
    local below, upto = t.below, t.upto
    if (below == nil and upto == nil) or (below ~= nil and x < below) or (upto ~= nil and x <= upto) then
      local tier_hits = coverage.tier_hits
      if tier_hits then
        local hits = tier_hits[tiers] or {}
        hits[i] = true
        tier_hits[tiers] = hits
      end
      return t.points, t
    end
  end
  error(sfmt("tier: no tier matches %s", tostring(x)), 2)
end

--- tier_sum(list, column, tiers [, pred [, prefix]]) -> total, note: each row's `column` scored by `tier`,
--- over rows for which pred holds; the note counts rows per tier label (prefixed with `prefix`).
function helpers.tier_sum(list, column, tiers, pred, prefix)
  local total, counts, note
  if native(list, pred) then
    -- with the note the tally below would make, when C can make it (nil otherwise)
    total, counts, note = native_tier_rows(list, column, tiers, pred, prefix, notes_wanted())
    if note ~= nil then return total, note end
  else
    local f, rs = matcher(pred, 2, "tier_sum"), rows(list)
    total, counts = 0, {}
    for i = 1, #tiers do counts[i] = 0 end
    for i = 1, #rs do
      local r = rs[i]
      if f(r) then
        local x = r[column]
        if x == nil then error(sfmt("tier_sum: row %d has no %s", i, column), 2) end
        local points, t = helpers.tier(x, tiers)
        total = total + points
        for k = 1, #tiers do if rawequal(tiers[k], t) then counts[k] = counts[k] + 1 break end end
      end
    end
  end
  if not notes_wanted() then return total, nil end
  local t = helpers.tally()
  for i = 1, #tiers do
    if counts[i] > 0 then
      local tier = tiers[i]
      t:add(tier.points, (prefix or "") .. (tier.label or ("tier " .. i)), counts[i])
    end
  end
  return total, t:note()
end

--- lookup(map, key, default) -> map[key], or default when absent (an error when no default is given).
function helpers.lookup(map, key, default)
  local v = key ~= nil and map[key] or nil
  if v ~= nil then return v end
  if default ~= nil then return default end
  error(sfmt("lookup: no entry for '%s'", tostring(key)), 2)
end

function helpers.clamp(x, lo, hi)
  if lo ~= nil and x < lo then return lo end
  if hi ~= nil and x > hi then return hi end
  return x
end

--- points_text(x) -> "+2", "-1.5", "0".
local function points_text(x)
  local s
  if mtype(x) == "integer" or (x == floor(x) and x > -1e15 and x < 1e15) then
    -- an integer (floor of an integral float is one) concatenates as %d formats it, with one string made
    local i = floor(x)
    if i > 0 then return "+" .. i end
    return "" .. i
  else
    s = sfmt("%.6f", x):gsub("0+$", ""):gsub("%.$", "")
  end
  if x > 0 then s = "+" .. s end
  return s
end
helpers.points_text = points_text

--- tally(): an accumulator of points with labelled counts.
---   local t = tally(); t:add(points, label [, n]); return t:result()  --> total, note
-- The methods live apart from the metatable, both out of a policy's reach: getmetatable(tally()) is false,
-- and the methods tables are read-only (the globals part hollows them).
local TallyMethods = {}
local Tally = { __index = TallyMethods, __metatable = false }
function TallyMethods:add(points, label, n)
  n = n or 1
  if n == 0 then return self end
  self.total = self.total + points * n
  local i = self.index[label]
  if i == nil then
    i = #self.labels + 1
    self.labels[i] = label
    self.counts[i] = 0
    self.points[i] = 0
    self.index[label] = i
  end
  self.counts[i] = self.counts[i] + n
  self.points[i] = self.points[i] + points * n
  return self
end
--- t:merge(points, note): adds points with a ready-made note (from another helper).
function TallyMethods:merge(points, note)
  self.total = self.total + points
  if note ~= nil and note ~= "" then self.extra[#self.extra + 1] = { #self.labels, note } end
  return self
end
function TallyMethods:add_if(cond, points, label)
  if cond then self:add(points, label) end
  return self
end
local native_note = P.tally_note
function TallyMethods:note()
  -- built in C in one string when the parts are as tally() made them (the same text; nil otherwise)
  local s = native_note(self.labels, self.counts, self.points, self.extra)
  if s ~= nil then return s end
  local parts, e = {}, 1
  local extra = self.extra
  local labels, counts, points, n = self.labels, self.counts, self.points, 0
  for i = 0, #labels do
    if i > 0 then
      local c, label = counts[i], labels[i]
      n = n + 1
      if c == 1 then
        -- a string label concatenates as %s formats it; anything else goes through tostring's rules
        parts[n] = type(label) == "string" and label .. " " .. points_text(points[i]) or sfmt("%s %s", label, points_text(points[i]))
      else
        parts[n] = sfmt("%s ×%d %s", label, c, points_text(points[i]))
      end
    end
    while extra[e] and extra[e][1] == i do n = n + 1; parts[n] = extra[e][2]; e = e + 1 end
  end
  return tconcat(parts, "；")
end
function TallyMethods:result() return self.total, self:note() end
-- When the report shows no notes, a tally only adds up.
local QuickMethods = {}
local QuickTally = { __index = QuickMethods, __metatable = false }
function QuickMethods:add(points, _, n) self.total = self.total + points * (n or 1) return self end
function QuickMethods:merge(points) self.total = self.total + points return self end
function QuickMethods:add_if(cond, points) if cond then self.total = self.total + points end return self end
function QuickMethods:note() return nil end
function QuickMethods:result() return self.total, nil end
function helpers.tally()
  if not notes_wanted() then return setmetatable({ total = 0 }, QuickTally) end
  return setmetatable({ total = 0, labels = {}, counts = {}, points = {}, index = {}, extra = {} }, Tally)
end

--- per_row(list, f) -> total, note: f(row) returns points and a label for each row.
function helpers.per_row(list, f)
  local t, rs = helpers.tally(), rows(list)
  for i = 1, #rs do
    local p, label = f(rs[i])
    if p ~= nil then t:add(p, label or "") end
  end
  return t:result()
end

--- range(a, b) -> {a, a+1, ..., b}
function helpers.range(a, b)
  local out = {}
  for i = a, b do out[#out + 1] = i end
  return out
end

--- rows(list) -> a plain array of the rows (iterates faster than indexing the list itself).
helpers.rows = rows

--- fmt(format, ...) -> string.format as a policy has it ('%p' refused, tables printed by tostring).
helpers.fmt = K.format

-- The loaded policy's report language, for the words of helper notes (host.lua sets it when a policy loads).
local policy_language = { value = "zh" }

--- weighted_mean(values, weights [, { missing = "reweight" | "zero", labels = { name = "..." } }]) -> mean, note:
--- the weighted mean of named scores (自评分, 群众评分, 上级党组织评分 weighted together). A name whose value is
--- nil is missing: "reweight" (the default) shares its weight among the others in proportion, "zero" counts it
--- as 0. The note names the missing scores and the effective weight (nil when none is missing).
function helpers.weighted_mean(values, weights, opts)
  if type(values) ~= "table" then error(sfmt("weighted_mean: values must be a table of name = score, got %s", type(values)), 2) end
  if type(weights) ~= "table" then error(sfmt("weighted_mean: weights must be a table of name = weight, got %s", type(weights)), 2) end
  if opts ~= nil and type(opts) ~= "table" then error("weighted_mean: the options must be a table { missing = \"reweight\" | \"zero\" }", 2) end
  opts = opts or {}
  for _, k in ipairs(sorted_keys(see_through(opts), "options")) do
    if k ~= "missing" and k ~= "labels" then error(sfmt("weighted_mean: unknown option '%s' (use missing, labels)", tostring(k)), 2) end
  end
  local mode = opts.missing or "reweight"
  if mode ~= "reweight" and mode ~= "zero" then
    error(sfmt("weighted_mean: missing must be \"reweight\" or \"zero\", got %s", tostring(mode)), 2)
  end
  local names = sorted_keys(see_through(weights), "weights")
  for _, k in ipairs(sorted_keys(see_through(values), "values")) do
    if rawequal(weights[k], nil) then error(sfmt("weighted_mean: score '%s' has no weight", tostring(k)), 2) end
  end
  local total_w, present_w, sum, missing = 0, 0, 0, {}
  for _, k in ipairs(names) do
    local w, v = weights[k], values[k]
    if type(w) ~= "number" or w < 0 or w ~= w then error(sfmt("weighted_mean: the weight of '%s' must be a number >= 0", tostring(k)), 2) end
    total_w = total_w + w
    if v == nil then
      missing[#missing + 1] = k
    elseif type(v) ~= "number" or v ~= v then
      error(sfmt("weighted_mean: score '%s' must be a number or nil (missing), got %s", tostring(k), type(v)), 2)
    else
      present_w = present_w + w
      sum = sum + v * w
    end
  end
  if total_w <= 0 then error("weighted_mean: the weights add up to 0", 2) end
  local mean
  if mode == "zero" then
    mean = sum / total_w
  else
    if present_w <= 0 then
      error(sfmt("weighted_mean: every weighted score is missing (%s)", tconcat(missing, ", ")), 2)
    end
    mean = sum / present_w
  end
  if #missing == 0 or not notes_wanted() then return mean, nil end
  local labels = opts.labels or {}
  local shown = {}
  for i, k in ipairs(missing) do shown[i] = labels[k] ~= nil and tostring(labels[k]) or tostring(k) end
  local effective, of = sfmt("%.14g", present_w), sfmt("%.14g", total_w)
  if policy_language.value == "en" then
    return mean, sfmt("missing %s%s; effective weight %s of %s", tconcat(shown, ", "),
      mode == "zero" and " (counted as 0)" or " (its weight shared by the others)", effective, of)
  end
  return mean, sfmt("缺%s%s；有效权重 %s/%s", tconcat(shown, "、"),
    mode == "zero" and "（按0分计）" or "（其权重按比例分配）", effective, of)
end

K.helpers = helpers
K.policy_language = policy_language
K.tally_methods = { TallyMethods, QuickMethods }
K.tier_coverage = coverage
