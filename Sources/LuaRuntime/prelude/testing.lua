-- kaohe prelude: policy tests (`kaohe test`), the last part: trusted harness code.
--
-- A test file sits beside its policy (2023_test.lua tests 2023.lua) and defines functions named test_*.
-- A test builds one unit's records with `score { ... }`, which runs every rule of the loaded policy on
-- them (through the same rule functions and helpers as scoring; lists are plain arrays, so helpers take
-- their Lua path), and checks the result with expect_points / expect_total / expect.
-- Adds H.run_tests.
local K = ...
local P = K.P

local error, type, ipairs, setmetatable, xpcall = error, type, ipairs, setmetatable, xpcall
local raw_next, rawset, rawlen = next, rawset, rawlen
local dbg_getinfo, dbg_getmetatable = debug.getinfo, debug.getmetatable
local sfmt, ssub, gmatch = string.format, string.sub, string.gmatch
local tconcat, tsort = table.concat, table.sort
local mtype, floor, tointeger, abs, huge = math.type, math.floor, math.tointeger, math.abs, math.huge
local tostring, pairs, json, array, G = K.tostring, K.pairs, K.json, K.array, K.G
local H, compile, session, coverage = K.H, K.compile, K.session, K.tier_coverage
local see_through, sorted_keys, reset_scratch, error_location = P.see_through, P.sorted_keys, P.reset_scratch,
    P.error_location

local function round6(x)
  if x >= 0 then return floor(x * 1e6 + 0.5) / 1e6 end
  return -floor(-x * 1e6 + 0.5) / 1e6
end

-- A cell value given by a test, checked against the column's declared type.
local function cell(col, v, where)
  if v == nil then
    if col.optional then return nil end
    if col.type == "flag" then return false end
    if col.type == "integer" or col.type == "number" or col.type == "percent" then return 0 end
    if col.type == "enum" then return col.values[1] end
    return ""
  end
  local tv = type(v)
  if col.type == "flag" then
    if v == 1 or v == true then return true end
    if v == 0 or v == false then return false end
    error(sfmt("%s: column '%s' is a flag; give true/false or 1/0, not %s", where, col.name, tostring(v)), 4)
  elseif col.type == "integer" then
    if mtype(v) ~= "integer" and not (tv == "number" and v == floor(v)) then
      error(sfmt("%s: column '%s' expects an integer, got %s", where, col.name, tostring(v)), 4)
    end
    return tointeger(v)
  elseif col.type == "number" then
    if tv ~= "number" then error(sfmt("%s: column '%s' expects a number, got %s", where, col.name, tostring(v)), 4) end
    return v
  elseif col.type == "percent" then
    -- as in data: 95 is 95%; a number between 0 and 2 could be a fraction and is refused
    if tv ~= "number" then error(sfmt("%s: column '%s' holds percentages and expects a number (95 for 95%%), got %s", where, col.name, tostring(v)), 4) end
    if v ~= 0 and v > -2 and v < 2 then
      error(sfmt("%s: column '%s' holds percentages: %s could be a fraction; give percents (95 for 95%%)", where, col.name, tostring(v)), 4)
    end
    return v
  elseif col.type == "enum" then
    for _, allowed in ipairs(col.values) do if v == allowed then return v end end
    error(sfmt("%s: column '%s' expects one of %s, got %s", where, col.name, tconcat(col.values, ", "), tostring(v)), 4)
  end
  if tv ~= "string" then error(sfmt("%s: column '%s' expects text, got %s", where, col.name, tostring(v)), 4) end
  return v
end

local function row_of(input, given, where, unit_id)
  local cols, row = {}, {}
  for _, c in ipairs(input.columns) do cols[c.name] = c end
  for k in pairs(given) do
    if cols[k] == nil then
      error(sfmt("%s: table '%s' has no column '%s'", where, input.name, tostring(k)), 3)
    end
  end
  for _, c in ipairs(input.columns) do row[c.name] = cell(c, given[c.name], where) end
  row.unit_id = unit_id
  return row
end

-- score { unit = { column = value, ... }, <table> = { { column = value, ... }, ... } } -> result
local function score(spec)
  local loaded = session.loaded
  if loaded == nil then error("score: no policy is loaded", 2) end
  if type(spec) ~= "table" then error("score: expected a table { unit = {...}, <table> = { rows } }", 2) end
  local desc = loaded.desc
  local inputs = {}
  for _, input in ipairs(desc.inputs) do inputs[input.name] = input end
  for k in pairs(spec) do
    if k ~= "unit" and inputs[k] == nil then
      error(sfmt("score: the policy declares no table '%s' (it has: unit, %s)", tostring(k),
        tconcat((function() local n = {} for _, i in ipairs(desc.inputs) do if i.name ~= "units" then n[#n + 1] = i.name end end return n end)(), ", ")), 2)
    end
  end
  local unit_fields = spec.unit or {}
  local unit_id = unit_fields.unit_id or "T1"
  local u = row_of(inputs.units, unit_fields, "score: unit", unit_id)
  if unit_fields.name == nil then u.name = "测试单位" end
  for _, input in ipairs(desc.inputs) do
    if input.name ~= "units" then
      local list = {}
      for i, given in ipairs(spec[input.name] or {}) do
        list[i] = row_of(input, given, sfmt("score: %s row %d", input.name, i), unit_id)
      end
      u[input.name] = list
    end
  end
  local result = { total = 0, points = {}, raw = {}, notes = {} }
  local sections = {}
  for i, rule in ipairs(desc.rules) do
    reset_scratch()
    local points, note = loaded.fns[i](u, loaded.params[i], loaded.params[0])
    if type(points) ~= "number" then
      error(sfmt("rule '%s' returned %s instead of a number of points", rule.id, type(points)), 2)
    end
    local p = round6(points)
    result.raw[rule.id] = p
    if rule.min ~= nil and p < rule.min then p = rule.min end
    if rule.max ~= nil and p > rule.max then p = rule.max end
    result.points[rule.id] = p
    result.notes[rule.id] = note
    if rule.section then sections[rule.section] = (sections[rule.section] or 0) + p end
    result.total = result.total + p
  end
  for _, s in ipairs(desc.sections) do
    local sum = sections[s.id] or 0
    local adjust = 0
    if s.min ~= nil and sum < s.min then adjust = s.min - sum end
    if s.max ~= nil and sum > s.max then adjust = s.max - sum end
    result.points["section:" .. s.id] = adjust
    result.total = result.total + adjust
  end
  result.total = round6(result.total + desc.base)
  return result
end

local asserted = {}   -- rule id -> true, for coverage

-- Failures are tables a test can catch with pcall: their metatable is out of its reach.
local Failure = { __metatable = false }
local function fail(t) error(setmetatable(t, Failure), 3) end

-- An error value that is not a message, with where the test or policy raised it.
local Located = { __metatable = false }
local function locate(e)
  if type(e) == "string" or type(e) == "userdata" or dbg_getmetatable(e) == Failure then return e end
  return setmetatable({ where = error_location(), kind = type(e) }, Located)
end

local function close(a, b) return type(a) == "number" and type(b) == "number" and abs(a - b) < 5e-7 end

local function expect_points(result, rule, expected)
  if type(result) ~= "table" or result.points == nil then error("expect_points: the first argument must be a score result", 2) end
  if result.points[rule] == nil then error(sfmt("expect_points: the policy has no rule '%s'", tostring(rule)), 2) end
  if type(expected) ~= "number" then error(sfmt("expect_points: the expected points must be a number, not a %s", type(expected)), 2) end
  asserted[rule] = true
  local actual = result.points[rule]
  if not close(actual, expected) then
    fail({ rule = rule, expected = expected, actual = actual, note = result.notes[rule] })
  end
end

local function expect_total(result, expected)
  if type(result) ~= "table" or result.total == nil then error("expect_total: the first argument must be a score result", 2) end
  if type(expected) ~= "number" then error(sfmt("expect_total: the expected total must be a number, not a %s", type(expected)), 2) end
  if not close(result.total, expected) then fail({ rule = "total", expected = expected, actual = result.total }) end
end

local function expect(cond, message)
  if message ~= nil and type(message) ~= "string" then
    error(sfmt("expect: the message must be a string, not a %s", type(message)), 2)
  end
  if not cond then fail({ message = message or "expectation failed" }) end
end

-- Arrays of tier tables in a rule's params, by path: "tiers", "tiers.city".
local function tier_tables(params, path, out)
  if type(params) ~= "table" then return out end
  local raw = see_through(params)
  local n = rawlen(raw) > 0 and #params or 0
  local is_tiers = n > 0
  for i = 1, n do
    local t = params[i]
    if type(t) ~= "table" or t.points == nil then is_tiers = false break end
  end
  if is_tiers then out[#out + 1] = { path = path, tiers = params } return out end
  for _, k in ipairs(sorted_keys(raw, "params")) do tier_tables(params[k], path == "" and tostring(k) or (path .. "." .. tostring(k)), out) end
  return out
end

-- A failure's expected or actual value for the report: a finite number as it is, anything else (inf, nan,
-- a string, a table) as text, since JSON has no such numbers and the host reads numbers there.
local function shown(v)
  if v == nil then return nil end
  if type(v) == "number" and v == v and v ~= huge and v ~= -huge then return v end
  if type(v) == "number" then return nil, v ~= v and "nan" or (v > 0 and "inf" or "-inf") end
  if type(v) == "string" then return nil, sfmt("%q", v) end
  if type(v) == "boolean" then return nil, v and "true" or "false" end
  return nil, "a " .. type(v)
end

--- run_tests(source, chunkname, only) -> JSON { tests = [...], coverage = {...} }  |  nil, kind, message
--- `only`: newline-separated test names to run ("" = all), or "#k" for the k-th test by line (a name
--- may hold any character, even a newline).
function H.run_tests(src, chunkname, only)
  local loaded = session.loaded
  if loaded == nil then return nil, "policy", "no policy loaded" end
  local env = setmetatable({}, { __index = G, __metatable = false })
  rawset(env, "score", score)
  rawset(env, "expect_points", expect_points)
  rawset(env, "expect_total", expect_total)
  rawset(env, "expect", expect)
  local chunk, err = compile(src, chunkname, env)
  if not chunk then return nil, "syntax", err end
  chunk()
  local selected = nil
  if only ~= "" then
    selected = {}
    for name in gmatch(only, "[^\n]+") do selected[name] = true end
  end
  local tests = {}
  for name, fn in raw_next, env do
    if type(name) == "string" and ssub(name, 1, 5) == "test_" and type(fn) == "function" then
      tests[#tests + 1] = { name = name, fn = fn, line = dbg_getinfo(fn, "S").linedefined }
    end
  end
  tsort(tests, function(a, b)
    if a.line ~= b.line then return a.line < b.line end
    return a.name < b.name
  end)
  asserted = {}
  coverage.tier_hits = {}
  local tier_hits = coverage.tier_hits
  local results = array()
  for i, t in ipairs(tests) do
    if selected == nil or selected[t.name] or selected["#" .. i] then
      local ok, e = xpcall(t.fn, locate)
      local r = { name = t.name, line = t.line }
      if ok then
        r.status = "pass"
      elseif dbg_getmetatable(e) == Failure then
        r.status = "fail"
        r.rule, r.note = e.rule, e.note
        local m = e.message
        if type(m) == "number" and m == m and m ~= huge and m ~= -huge then m = sfmt("%.14g", m)
        elseif m ~= nil and type(m) ~= "string" then local _, text = shown(m); m = text end
        r.message = m
        r.expected, r.expected_text = shown(e.expected)
        r.actual, r.actual_text = shown(e.actual)
      else
        r.status = "error"
        if type(e) == "string" then
          r.message = e
        elseif dbg_getmetatable(e) == Located then
          r.message = sfmt("%s%serror() was given a %s value, not a message; give it a string, e.g. error(\"...\")",
            e.where or "", e.where and ": " or "", e.kind)
        else
          r.message = "error object: " .. type(e)
        end
      end
      results[#results + 1] = r
    end
  end
  -- coverage: rules some test asserted, and tiers some evaluation picked
  local rules, tiers = array(), array()
  for i, rule in ipairs(loaded.desc.rules) do
    rules[#rules + 1] = { id = rule.id, citation = rule.citation, title = rule.title, covered = asserted[rule.id] == true }
    for _, found in ipairs(tier_tables(loaded.params[i], "", {})) do
      local hits = tier_hits[found.tiers] or {}
      for k = 1, #found.tiers do
        tiers[#tiers + 1] = { rule = rule.id, path = found.path, index = k, label = found.tiers[k].label,
          covered = hits[k] == true }
      end
    end
  end
  coverage.tier_hits = nil
  -- every test the file defines, run or not: the host runs them one at a time, each with its own time limit
  local names = array()
  for _, t in ipairs(tests) do names[#names + 1] = { name = t.name, line = t.line } end
  return json({ tests = results, names = names, coverage = { rules = rules, tiers = tiers } }, "tests")
end
