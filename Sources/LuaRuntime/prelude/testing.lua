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
local sfmt, ssub, gmatch, sfind = string.format, string.sub, string.gmatch, string.find
local tconcat, tsort = table.concat, table.sort
local mtype, floor, tointeger, abs, huge = math.type, math.floor, math.tointeger, math.abs, math.huge
local tostring, pairs, json, array, G = K.tostring, K.pairs, K.json, K.array, K.G
local H, compile, session, coverage = K.H, K.compile, K.session, K.tier_coverage
local see_through, sorted_keys, reset_scratch, error_location = P.see_through, P.sorted_keys, P.reset_scratch,
    P.error_location
local host_call, tonumber = P.host_call, tonumber

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

-- The host's reading of a request (PolicyTestRun: totals rounded and units ranked as kaohe score does),
-- as lines of tab-separated fields; an answer "error\t<message>" is raised at the test's call.
local function ask_host(request, who)
  local answer = host_call(request)
  if answer == nil then error(sfmt("%s: the host cannot rank here", who), 3) end
  local lines = {}
  for line in gmatch(answer, "[^\n]+") do
    local fields = {}
    for f in gmatch(line .. "\t", "(.-)\t") do fields[#fields + 1] = f end
    lines[#lines + 1] = fields
  end
  if lines[1] and lines[1][1] == "error" then error(sfmt("%s: %s", who, lines[1][2] or "refused"), 3) end
  return lines
end

-- One unit's records from a score {} spec, each table's rows checked against its columns.
local function unit_records(desc, spec, who, default_id)
  local inputs = {}
  for _, input in ipairs(desc.inputs) do inputs[input.name] = input end
  for k in pairs(spec) do
    if k ~= "unit" and inputs[k] == nil then
      error(sfmt("%s: the policy declares no table '%s' (it has: unit, %s)", who, tostring(k),
        tconcat((function() local n = {} for _, i in ipairs(desc.inputs) do if i.name ~= "units" then n[#n + 1] = i.name end end return n end)(), ", ")), 3)
    end
  end
  local unit_fields = spec.unit or {}
  local unit_id = unit_fields.unit_id or default_id
  local u = row_of(inputs.units, unit_fields, who .. ": unit", unit_id)
  if unit_fields.name == nil then u.name = "测试单位" end
  for _, input in ipairs(desc.inputs) do
    if input.name ~= "units" then
      local list = {}
      for i, given in ipairs(spec[input.name] or {}) do
        list[i] = row_of(input, given, sfmt("%s: %s row %d", who, input.name, i), unit_id)
      end
      if input.one_row_per_unit and #list ~= 1 then
        error(sfmt("%s: table '%s' has one row per unit (one_row_per_unit); give unit %s exactly one row, not %d",
          who, input.name, tostring(unit_id), #list), 3)
      end
      u[input.name] = list
    end
  end
  return u, unit_id
end

-- Every rule of the loaded policy on one unit's records: points after caps, notes, the total as the rules add
-- up (exact_total) and as the policy's `total` rounds it (total).
local function score_records(loaded, u, who)
  local desc = loaded.desc
  local result = { total = 0, points = {}, raw = {}, notes = {} }
  local sections = {}
  for i, rule in ipairs(desc.rules) do
    reset_scratch()
    local points, note = loaded.fns[i](u, loaded.params[i], loaded.params[0])
    if type(points) ~= "number" then
      error(sfmt("rule '%s' returned %s instead of a number of points", rule.id, type(points)), 3)
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
    sections[s.id] = sum + adjust
    result.total = result.total + adjust
  end
  result.exact_total = round6(result.total + desc.base)
  result.total = result.exact_total
  if desc.total ~= nil then
    result.total = tonumber(ask_host(sfmt("total\t%.17g", result.exact_total), who)[1][1])
  end
  result.sections = sections
  return result
end

-- score { unit = { column = value, ... }, <table> = { { column = value, ... }, ... } } -> result
local function score(spec)
  local loaded = session.loaded
  if loaded == nil then error("score: no policy is loaded", 2) end
  if type(spec) ~= "table" then error("score: expected a table { unit = {...}, <table> = { rows } }", 2) end
  local u = unit_records(loaded.desc, spec, "score", "T1")
  return score_records(loaded, u, "score")
end

-- rank { units = { <score spec>, ... } } -> ranking: every unit scored, its vetoes run, then ranked, grouped
-- and banded by the host exactly as `kaohe score` does (unit ids default to T1, T2, ... in list order).
local function rank(spec)
  local loaded = session.loaded
  if loaded == nil then error("rank: no policy is loaded", 2) end
  if type(spec) ~= "table" or type(spec.units) ~= "table" or #spec.units == 0 then
    error("rank: expected { units = { { unit = {...}, <table> = { rows } }, ... } }", 2)
  end
  local desc, nr = loaded.desc, #loaded.desc.rules
  local lines, units, seen = { "rank" }, {}, {}
  for i, one in ipairs(spec.units) do
    if type(one) ~= "table" then error(sfmt("rank: units[%d] must be a table like score {} takes", i), 2) end
    local who = sfmt("rank: units[%d]", i)
    local u, id = unit_records(desc, one, who, "T" .. i)
    if seen[id] then error(sfmt("rank: two units have unit_id '%s'", tostring(id)), 2) end
    if sfind(tostring(id), "[\t\n]") then error(sfmt("rank: units[%d]: a unit_id has no tab or line break", i), 2) end
    seen[id] = true
    local result = score_records(loaded, u, who)
    result.vetoes, result.veto_notes = {}, {}
    local vetoed = 0
    for j, v in ipairs(desc.vetoes) do
      reset_scratch()
      local hit, note = loaded.fns[nr + j](u, loaded.params[nr + j], loaded.params[0])
      if type(hit) ~= "boolean" then
        error(sfmt("veto '%s' returned %s instead of true (vetoed) or false", v.id, type(hit)), 2)
      end
      if note ~= nil and type(note) ~= "string" then
        error(sfmt("veto '%s' returned a %s as its note; a note must be a string or nil", v.id, type(note)), 2)
      end
      result.vetoes[v.id] = hit
      result.veto_notes[v.id] = note
      if hit then vetoed = 1 end
    end
    local group = desc.groups and tostring(u[desc.groups.by]) or ""
    if sfind(group, "[\t\n]") then error(sfmt("rank: units[%d]: the group '%s' is none of the policy's", i, group), 2) end
    local fields = { tostring(id), group, sfmt("%.17g", result.exact_total),
      tostring(vetoed) }
    for _, key in ipairs(desc.tie_break) do
      local p = key.kind == "rule" and result.points[key.id] or result.sections[key.id] or 0
      fields[#fields + 1] = sfmt("%.17g", p)
    end
    lines[#lines + 1] = tconcat(fields, "\t")
    result.id = id
    units[id] = result
    units[i] = result
  end
  -- history = { [year] = { unit_id = { band ids } } }: earlier years' runs, for history bands
  if spec.history ~= nil then
    if type(spec.history) ~= "table" then error("rank: history must be { [year] = { unit_id = { band ids } } }", 2) end
    for year, units_of in pairs(spec.history) do
      if mtype(year) ~= "integer" or type(units_of) ~= "table" then
        error("rank: history must be { [year] = { unit_id = { band ids } } }", 2)
      end
      for id, bands in pairs(units_of) do
        if type(id) ~= "string" or type(bands) ~= "table" then
          error(sfmt("rank: history[%d] must map unit ids to lists of band ids", year), 2)
        end
        for _, b in ipairs(bands) do
          if type(b) ~= "string" or sfind(b, "[,\t\n]") then error(sfmt("rank: history[%d][%s]: a band id is a string", year, id), 2) end
        end
        lines[#lines + 1] = sfmt("history\t%d\t%s\t%s", year, id, tconcat(bands, ","))
      end
    end
  end
  for _, f in ipairs(ask_host(tconcat(lines, "\n"), "rank")) do
    local r = units[f[1]]
    r.rank, r.group, r.total = tointeger(tonumber(f[2])), f[3] ~= "" and f[3] or nil, tonumber(f[4])
    r.bands = {}
    for b in gmatch(f[5] or "", "[^,]+") do r.bands[b] = true end
  end
  coverage.ranked = true
  return { units = units, ranking = true }
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

-- Ranking-level expectations on a rank {} result; bands and vetoes asserted count for coverage.
local asserted_bands, asserted_vetoes = {}, {}

local function ranked(r, id, who)
  if type(r) ~= "table" or r.ranking ~= true then error(sfmt("%s: the first argument must be a rank {} result", who), 3) end
  local u = type(id) == "string" and r.units[id] or nil
  if u == nil then error(sfmt("%s: the ranking has no unit '%s'", who, tostring(id)), 3) end
  return u
end

local function known(list, id, what, who)
  for _, x in ipairs(list) do if x.id == id then return end end
  error(sfmt("%s: the policy has no %s '%s'", who, what, tostring(id)), 3)
end

local function expect_rank(r, id, expected)
  local u = ranked(r, id, "expect_rank")
  if mtype(expected) ~= "integer" then error("expect_rank: the expected rank must be an integer", 2) end
  if u.rank ~= expected then fail({ rule = sfmt("rank of %s", id), expected = expected, actual = u.rank }) end
end

local function expect_group(r, id, expected)
  local u = ranked(r, id, "expect_group")
  if session.loaded.desc.groups == nil then error("expect_group: the policy has no groups", 2) end
  if u.group ~= expected then fail({ rule = sfmt("group of %s", id), expected = expected, actual = u.group }) end
end

local function expect_band(r, id, band, expected)
  local u = ranked(r, id, "expect_band")
  known(session.loaded.desc.bands, band, "band", "expect_band")
  if expected == nil then expected = true end
  if type(expected) ~= "boolean" then error("expect_band: the expectation must be true or false", 2) end
  asserted_bands[band] = true
  local actual = u.bands[band] == true
  if actual ~= expected then fail({ rule = sfmt("band %s of %s", band, id), expected = expected, actual = actual }) end
end

local function expect_veto(r, id, veto, expected)
  local u = ranked(r, id, "expect_veto")
  known(session.loaded.desc.vetoes, veto, "veto", "expect_veto")
  if expected == nil then expected = true end
  if type(expected) ~= "boolean" then error("expect_veto: the expectation must be true or false", 2) end
  asserted_vetoes[veto] = true
  local actual = u.vetoes[veto] == true
  if actual ~= expected then
    fail({ rule = sfmt("veto %s of %s", veto, id), expected = expected, actual = actual, note = u.veto_notes[veto] })
  end
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
  rawset(env, "rank", rank)
  rawset(env, "expect_rank", expect_rank)
  rawset(env, "expect_group", expect_group)
  rawset(env, "expect_band", expect_band)
  rawset(env, "expect_veto", expect_veto)
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
  asserted, asserted_bands, asserted_vetoes = {}, {}, {}
  coverage.tier_hits = {}
  coverage.ranked = false
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
  local bands, vetoes = array(), array()
  for _, b in ipairs(loaded.desc.bands) do
    bands[#bands + 1] = { id = b.id, label = b.label, covered = asserted_bands[b.id] == true }
  end
  for _, v in ipairs(loaded.desc.vetoes) do
    vetoes[#vetoes + 1] = { id = v.id, citation = v.citation, title = v.title, covered = asserted_vetoes[v.id] == true }
  end
  -- every test the file defines, run or not: the host runs them one at a time, each with its own time limit
  local names = array()
  for _, t in ipairs(tests) do names[#names + 1] = { name = t.name, line = t.line } end
  return json({ tests = results, names = names, coverage = { rules = rules, tiers = tiers, bands = bands, vetoes = vetoes,
    ranked = coverage.ranked } }, "tests")
end
