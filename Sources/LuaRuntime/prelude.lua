-- kaohe prelude: trusted code, run once per sandbox before any policy.
--
-- It builds the globals a policy sees (an allow-list of the standard library plus the scoring helpers),
-- and the host functions the C core calls: load (compile, run, validate and freeze a policy), eval and
-- trace_json. It runs with the full standard library; the C core wipes the real global table afterwards,
-- so only what this file captures as locals stays reachable, and only from here.
local P = ...

local load, pcall, xpcall, error, type, select = load, pcall, xpcall, error, type, select
local raw_next, raw_tostring = next, tostring
local tonumber, rawget, rawset, rawequal, rawlen = tonumber, rawget, rawset, rawequal, rawlen
local setmetatable, getmetatable, ipairs, assert = setmetatable, getmetatable, ipairs, assert
local dbg_getupvalue, dbg_getinfo = debug.getupvalue, debug.getinfo
local dbg_setmetatable, dbg_getmetatable = debug.setmetatable, debug.getmetatable
local sfmt, srep, sgsub, sfind, ssub, sbyte, smatch = string.format, string.rep, string.gsub, string.find,
    string.sub, string.byte, string.match
local sdump = string.dump
local tconcat, tsort, tunpack, tpack = table.concat, table.sort, table.unpack, table.pack
local mtype, floor, huge, tointeger = math.type, math.floor, math.huge, math.tointeger
local string_lib, table_lib, math_lib, utf8_lib = string, table, math, utf8

local PRELUDE_SOURCE = "=kaohe/prelude"
local tier_hits = nil -- while `kaohe test` runs: tiers table -> { [index] = true }
local notes_wanted = P.notes_wanted
local rows = P.rows
local shadow_of, views = P.shadows, P.views   -- read-only table -> its contents; explain's view -> its table
local see_through, sorted_keys, len_of = P.see_through, P.sorted_keys, P.len_of
local upvalue_writes, evaluation = P.upvalue_writes, P.evaluation

---------------------------------------------------------------------------------------------------
-- Values that are the same on every run. A Lua state's string hash seed is random (luai_makeseed mixes
-- the time and addresses), so the raw order of `next` changes from run to run, and tostring(table) and
-- '%p' print addresses. A policy sees none of these.
---------------------------------------------------------------------------------------------------
-- tostring: tables, functions and userdata without __tostring are numbered in the order one rule
-- evaluation first prints them ("table: #1"), afresh for each evaluation.
local ids, id_count, id_epoch = setmetatable({}, { __mode = "k" }), 0, -1
local function tostring(v)
  local tv = type(v)
  if tv ~= "table" and tv ~= "function" and tv ~= "userdata" and tv ~= "thread" then return raw_tostring(v) end
  local mt = dbg_getmetatable(v)
  local ts = mt ~= nil and rawget(mt, "__tostring") or nil
  if ts ~= nil then
    local s = ts(v)
    if type(s) ~= "string" then error("'__tostring' must return a string", 2) end
    return s
  end
  local e = evaluation()
  if e ~= id_epoch then ids, id_count, id_epoch = setmetatable({}, { __mode = "k" }), 0, e end
  local n = ids[v]
  if n == nil then
    id_count = id_count + 1
    n = id_count
    ids[v] = n
  end
  return tv .. ": #" .. n
end

-- The policy's string.format: '%p' refused, tables given to '%s' printed by tostring above (fmt helper too).
local safe_format = P.make_format(sfmt, tostring)

-- pairs in a fixed order: numbers (ascending), then strings (byte order), then false, true, then rows of
-- data; a table with two or more keys that are tables or functions cannot be iterated (they have no order
-- that holds from one run to the next). A read-only table iterates its contents.
local function ordered_pairs(t)
  local mt = dbg_getmetatable(t)
  if mt ~= nil then
    local custom = rawget(mt, "__pairs")
    if custom ~= nil then   -- the policy's own (its iterator can only use ordered primitives), or rows of data
      local f, s, init = custom(t)
      return f, s, init
    end
  end
  if type(t) ~= "table" then error(sfmt("bad argument #1 to 'pairs' (table expected, got %s)", type(t)), 2) end
  local s = see_through(t)
  local keys = sorted_keys(s, "pairs")
  local i, n = 0, #keys
  if rawequal(s, t) then
    return function()
      while i < n do
        i = i + 1
        local k = keys[i]
        local v = rawget(t, k)
        if v ~= nil then return k, v end   -- a loop may clear the fields it visited
      end
    end, t, nil
  end
  return function()   -- read through the table itself: explain's views record the read
    while i < n do
      i = i + 1
      local k = keys[i]
      local v = t[k]
      if v ~= nil then return k, v end
    end
  end, t, nil
end

-- table.sort as a stable merge sort in Lua: the C quicksort picks a random pivot (seeded by the clock) when
-- a partition is unbalanced, so equal elements could end in a different order on each run.
local function safe_sort(t, lt)
  if lt ~= nil and type(lt) ~= "function" then
    error(sfmt("bad argument #2 to 'sort' (function expected, got %s)", type(lt)), 2)
  end
  local n = #t
  if n < 2 then return end
  lt = lt or function(x, y) return x < y end
  local a, b = {}, {}
  for i = 1, n do a[i] = t[i] end
  local width = 1
  while width < n do
    local i = 1
    while i <= n do
      local mid, hi = i + width - 1, i + 2 * width - 1
      if hi > n then hi = n end
      if mid < hi then
        local l, r, k = i, mid + 1, i
        while l <= mid and r <= hi do
          if lt(a[r], a[l]) then b[k] = a[r]; r = r + 1 else b[k] = a[l]; l = l + 1 end
          k = k + 1
        end
        while l <= mid do b[k] = a[l]; l = l + 1; k = k + 1 end
        while r <= hi do b[k] = a[r]; r = r + 1; k = k + 1 end
      else
        for k = i, hi do b[k] = a[k] end
      end
      i = i + 2 * width
    end
    a, b = b, a
    width = width * 2
  end
  for i = 1, n do t[i] = a[i] end
end

-- The prelude's own iterations whose errors a policy can see go in the fixed order too.
local pairs = ordered_pairs

---------------------------------------------------------------------------------------------------
-- Freezing. Once a policy has loaded, every table it can reach is made read-only in place ("hollowed"):
-- its contents move to a private shadow table, and the table, now empty and with the same identity, gets
-- a protected metatable that reads from the shadow and refuses every write. Nothing a rule does to a
-- policy value can reach another evaluation.
---------------------------------------------------------------------------------------------------
local frozen = setmetatable({}, { __mode = "k" })      -- read-only tables (hollowed, views, prelude's) -> true
local visible_mt = setmetatable({}, { __mode = "k" })  -- read-only table -> what getmetatable showed before
local copies = setmetatable({}, { __mode = "k" })      -- metatables setmetatable made -> "open" | "protected"

local function readonly_error(_, k)
  error(sfmt("attempt to modify a read-only value (field '%s'): policy tables are frozen once the policy " ..
    "has loaded; build a local table inside the rule instead", tostring(k)), 2)
end

local function safe_getmetatable(v)
  if frozen[v] then return visible_mt[v] end
  return getmetatable(v)
end

local function hollow(t)
  local shadow = {}
  for k, v in raw_next, t do shadow[k] = v end
  for k in raw_next, shadow do rawset(t, k, nil) end
  local old = dbg_getmetatable(t)
  local mt = {}
  if old ~= nil then
    visible_mt[t] = getmetatable(t)
    for k, v in raw_next, old do mt[k] = v end   -- __tostring, __call, __eq, arithmetic... still apply
  end
  local index = old ~= nil and rawget(old, "__index") or nil
  if index == nil then
    mt.__index = shadow
  else   -- the table's own __index gets the read-only table, never the shadow
    mt.__index = function(self, k)
      local v = rawget(shadow, k)
      if v ~= nil then return v end
      if type(index) == "function" then return index(self, k) end
      return index[k]
    end
  end
  mt.__newindex = readonly_error
  mt.__len = len_of(shadow)
  mt.__metatable = false
  mt.__gc, mt.__close, mt.__mode = nil, nil, nil   -- never in a policy's metatables; never here either
  shadow_of[t] = shadow
  frozen[t] = true
  dbg_setmetatable(t, mt)
  return t
end

-- Functions of the prelude and C functions that keep no state between calls (filled in with the globals).
local static_fns = setmetatable({}, { __mode = "k" })

-- Appends to `tables` and `functions` everything reachable from `root` that is not yet in `seen`: table
-- keys, values and the metatables setmetatable made, function upvalues. Returns a function the policy
-- cannot be allowed to keep (a prelude or C closure made while it loaded: an iterator that keeps its place).
local function reach(root, seen, tables, functions)
  local stack, n = { root }, 1
  while n > 0 do
    local v = stack[n]
    stack[n] = nil
    n = n - 1
    local tv = type(v)
    if (tv == "table" or tv == "function") and not seen[v] and not frozen[v] then
      seen[v] = true
      if tv == "function" then
        if not static_fns[v] then
          local info = dbg_getinfo(v, "S")
          if info.what == "C" or info.source == PRELUDE_SOURCE then return v end
          functions[#functions + 1] = v
          local i = 1
          while true do
            local name, x = dbg_getupvalue(v, i)
            if name == nil then break end
            n = n + 1
            stack[n] = x
            i = i + 1
          end
        end
      else
        tables[#tables + 1] = v
        for k, x in raw_next, v do
          stack[n + 1], stack[n + 2] = k, x
          n = n + 2
        end
        local mt = dbg_getmetatable(v)
        if mt ~= nil and copies[mt] then
          for _, x in raw_next, mt do
            n = n + 1
            stack[n] = x
          end
        end
      end
    end
  end
  return nil
end

-- The first (by line) write to a variable declared outside its function, among `functions`: line, name.
local function first_write(functions)
  local best_line, best_name
  for i = 1, #functions do
    local line, name = upvalue_writes(sdump(functions[i]))
    if line ~= nil and (best_line == nil or line < best_line or (line == best_line and name < best_name)) then
      best_line, best_name = line, name
    end
  end
  return best_line, best_name
end

-- Checks and freezes what a loaded policy can reach. roots: array of { value, who, line }, in the order
-- their problems are reported. Returns nil, or the message refusing the policy.
local function freeze_policy(roots, file)
  local seen, tables = {}, {}
  for _, root in ipairs(roots) do
    local functions = {}
    local kept = reach(root[1], seen, tables, functions)
    if kept ~= nil then
      return sfmt("%s:%d: %s keeps a function made while the file loaded that is not part of the policy's own " ..
        "code (an iterator from pairs, string.gmatch or utf8.codes, which would carry its place from one unit " ..
        "to the next); call it inside the function that uses it", file, root[3] or 1, root[2])
    end
    local line, name = first_write(functions)
    if line ~= nil then
      return sfmt("%s:%d: %s writes to '%s', a variable declared outside its function: its value would carry " ..
        "over from one unit (or rule) to the next, so results would depend on the order units are scored in " ..
        "and on --jobs; move it inside score or into params", file, line, root[2], name)
    end
  end
  for i = 1, #tables do hollow(tables[i]) end
  return nil
end

-- The probe the checker must find, or no policy is checked at all (a Lua whose bytecode differs).
do
  local probe_count = 0
  local function probe() probe_count = probe_count + 1 end
  local line, name = upvalue_writes(sdump(probe))
  local expected = dbg_getinfo(1, "l").currentline - 2
  assert(name == "probe_count" and line == expected and probe_count == 0, "the upvalue checker does not work here")
  local function clean() return probe_count end
  assert(upvalue_writes(sdump(clean)) == nil, "the upvalue checker does not work here")
end

---------------------------------------------------------------------------------------------------
-- Safe replacements for standard functions.
---------------------------------------------------------------------------------------------------
local function safe_setmetatable(t, mt)
  if type(t) ~= "table" then
    error(sfmt("bad argument #1 to 'setmetatable' (table expected, got %s)", type(t)), 2)
  end
  if frozen[t] then error("cannot change the metatable of a read-only table", 2) end
  local raw = dbg_getmetatable(t)
  if raw ~= nil and copies[raw] ~= "open" then error("cannot change a protected metatable", 2) end
  if mt ~= nil then
    if type(mt) ~= "table" then
      error(sfmt("bad argument #2 to 'setmetatable' (nil or table expected, got %s)", type(mt)), 2)
    end
    local src = see_through(mt)   -- a read-only table (a class at the top of the file) gives its contents
    if rawget(src, "__gc") ~= nil or rawget(src, "__close") ~= nil then
      error("setmetatable: __gc and __close metamethods are not allowed in policies", 2)
    end
    -- table.insert, remove, sort and concat loop in C up to the length __len claims, where the time
    -- limit cannot stop them
    if rawget(src, "__len") ~= nil then
      error("setmetatable: __len is not allowed in policies (table functions would loop over the length it claims)", 2)
    end
    if rawget(src, "__mode") ~= nil then
      error("setmetatable: __mode is not allowed in policies (a weak table loses entries whenever the garbage " ..
        "collector runs, which differs from one run to the next)", 2)
    end
    -- The table gets a private copy: getmetatable still returns the script's table, but changes made to
    -- it later (say, adding __close) never reach the metatable in force.
    local copy = {}
    for k, v in raw_next, src do copy[k] = v end
    if rawget(src, "__metatable") == nil then
      copy.__metatable = mt
      copies[copy] = "open"
    else
      copies[copy] = "protected"
    end
    mt = copy
  end
  dbg_setmetatable(t, mt)
  return t
end

local function safe_rawset(t, k, v)
  if type(t) ~= "table" then
    error(sfmt("bad argument #1 to 'rawset' (table expected, got %s)", type(t)), 2)
  end
  if frozen[t] then readonly_error(t, k) end
  return rawset(t, k, v)
end

-- rawget and rawlen of a read-only table read its contents (as they did before it was frozen).
local function safe_rawget(t, k)
  if type(t) ~= "table" then
    error(sfmt("bad argument #1 to 'rawget' (table expected, got %s)", type(t)), 2)
  end
  return rawget((see_through(t)), k)
end

local function safe_rawlen(v)
  if type(v) == "table" then return rawlen((see_through(v))) end
  if type(v) ~= "string" then error("table or string expected", 2) end
  return rawlen(v)
end

-- xpcall whose message handler runs after the stack has unwound, as ordinary (hooked) code.
local function safe_xpcall(f, msgh, ...)
  local r = tpack(pcall(f, ...))
  if r[1] then return tunpack(r, 1, r.n) end
  return false, msgh(r[2])
end

-- table.move copies element by element in C, where the time limit cannot stop it: bound the count as
-- string.rep's result is bounded.
local MAX_MOVE = 16 * 1024 * 1024
local tmove = table_lib.move
local function safe_move(a1, f, e, t, a2)
  if type(f) == "number" and type(e) == "number" and e - f + 1 > MAX_MOVE then
    error(sfmt("table.move: %.0f elements is more than the limit of %d", e - f + 1, MAX_MOVE), 2)
  end
  return tmove(a1, f, e, t, a2)   -- a nil destination is the source, as for table.move itself
end

local MAX_REP = 16 * 1024 * 1024
local function safe_rep(s, n, sep)
  if type(s) == "number" then s = tostring(s) end
  if type(s) ~= "string" then error(sfmt("bad argument #1 to 'rep' (string expected, got %s)", type(s)), 2) end
  local count = tointeger(n)
  if count == nil then error("bad argument #2 to 'rep' (number has no integer representation)", 2) end
  if sep ~= nil and type(sep) ~= "string" then sep = tostring(sep) end
  if count <= 0 then return "" end
  local size = #s * count + (sep and #sep * (count - 1) or 0)
  if size == 0 then return "" end
  if size > MAX_REP then
    error(sfmt("string.rep: the result would be %.0f bytes; the limit is %d", size, MAX_REP), 2)
  end
  return srep(s, count, sep)
end

---------------------------------------------------------------------------------------------------
-- Helpers for rules (documented in policies/README.md).
---------------------------------------------------------------------------------------------------
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

local H = {}
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
  local total, counts
  if native(list, pred) then
    total, counts = native_tier_rows(list, column, tiers, pred)
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
    s = sfmt("%d", floor(x))
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
-- and the methods table is read-only (hollowed with the globals below).
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
function TallyMethods:note()
  local parts, e = {}, 1
  local extra = self.extra
  for i = 0, #self.labels do
    if i > 0 then
      local c = self.counts[i]
      if c == 1 then
        parts[#parts + 1] = sfmt("%s %s", self.labels[i], points_text(self.points[i]))
      else
        parts[#parts + 1] = sfmt("%s ×%d %s", self.labels[i], c, points_text(self.points[i]))
      end
    end
    while extra[e] and extra[e][1] == i do parts[#parts + 1] = extra[e][2]; e = e + 1 end
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

helpers.fmt = sfmt

---------------------------------------------------------------------------------------------------
-- The globals a policy sees.
---------------------------------------------------------------------------------------------------
local function pick(lib, names)
  local out = {}
  for _, n in ipairs(names) do out[n] = lib[n] end
  return out
end

local G = pick(_G, { "assert", "error", "ipairs", "pcall", "select", "tonumber", "type", "rawequal", "_VERSION" })
G.pairs = ordered_pairs
G.next = P.next
G.tostring = tostring
G.getmetatable = safe_getmetatable
G.rawget = safe_rawget
G.rawlen = safe_rawlen
G.rawset = safe_rawset
G.setmetatable = safe_setmetatable
G.xpcall = safe_xpcall
G.string = pick(string_lib, { "byte", "char", "find", "gmatch", "gsub", "len", "lower", "match",
  "reverse", "sub", "upper", "pack", "packsize", "unpack" })
G.string.rep = safe_rep
G.string.format = safe_format
G.table = pick(table_lib, { "concat", "insert", "move", "pack", "remove", "sort", "unpack" })
G.table.move = safe_move
G.table.sort = safe_sort
G.math = pick(math_lib, { "abs", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max",
  "maxinteger", "min", "mininteger", "modf", "pi", "rad", "sin", "sqrt", "tan", "tointeger", "type", "ult" })
G.utf8 = pick(utf8_lib, { "char", "charpattern", "codepoint", "codes", "len", "offset" })
helpers.fmt = safe_format
for k, v in raw_next, helpers do G[k] = v end
-- Every function a policy can get from the globals keeps no state between calls (stateless iterators
-- included); a policy may hold them in file-level locals. Anything else of the prelude or C it holds was
-- made by a call (an iterator with its place) and is refused when the policy loads.
for _, lib in raw_next, G do
  if type(lib) == "function" then static_fns[lib] = true end
  if type(lib) == "table" then for _, f in raw_next, lib do if type(f) == "function" then static_fns[f] = true end end end
end
static_fns[(ipairs({}))] = true
static_fns[(utf8_lib.codes(""))] = true
-- The standard library and the helpers' methods are read-only like the policy's own tables.
for _, v in raw_next, G do if type(v) == "table" then hollow(v) end end
hollow(TallyMethods)
hollow(QuickMethods)
hollow(G)

-- Strings index the sandbox's string table; the metatable itself is out of reach.
do
  local smt = getmetatable("")
  smt.__index = G.string
  smt.__metatable = false
end

---------------------------------------------------------------------------------------------------
-- JSON (for handing descriptions to the host): sorted keys, integers exact, floats as %.14g.
---------------------------------------------------------------------------------------------------
local function json_string(s)
  return '"' .. sgsub(s, '[%c"\\]', function(c)
    local map = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
    return map[c] or sfmt("\\u%04x", sbyte(c))
  end) .. '"'
end

local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if mtype(k) ~= "integer" or k < 1 then return false end
    n = n + 1
  end
  for i = 1, n do if t[i] == nil then return false end end
  return true, n
end

local ARRAY = { __metatable = false }  -- metatable marking tables that encode as JSON arrays even when empty
local function array() return setmetatable({}, ARRAY) end

-- Parameters are data: a table that contains itself, or nests deeper than this, is refused by name
-- (rather than running out of memory somewhere in here).
local MAX_JSON_DEPTH = 32

local function json(v, path, open, depth)
  local tv = type(v)
  if tv == "nil" then return "null" end
  if tv == "boolean" then return v and "true" or "false" end
  if tv == "number" then
    if mtype(v) == "integer" then return sfmt("%d", v) end
    if v ~= v or v == huge or v == -huge then error(sfmt("%s: not a finite number", path), 0) end
    if v == floor(v) and v > -1e15 and v < 1e15 then return sfmt("%d", floor(v)) end
    return sfmt("%.14g", v)
  end
  if tv == "string" then return json_string(v) end
  if tv == "table" then
    open, depth = open or {}, (depth or 0) + 1
    if open[v] then error(sfmt("%s: this table contains itself (as %s); parameters must be plain data", path, open[v]), 0) end
    if depth > MAX_JSON_DEPTH then error(sfmt("%s: tables nest deeper than %d levels", path, MAX_JSON_DEPTH), 0) end
    open[v] = path
    for k in raw_next, v do
      local tk = type(k)
      if tk ~= "string" and tk ~= "number" and tk ~= "boolean" then
        error(sfmt("%s: a %s cannot be a parameter key (use strings and numbers)", path, tk), 0)
      end
    end
    local arr, n = is_array(v)
    local parts = {}
    if arr and (n > 0 or dbg_getmetatable(v) == ARRAY) then
      for i = 1, n do parts[i] = json(v[i], path .. "[" .. i .. "]", open, depth) end
      open[v] = nil
      return "[" .. tconcat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    tsort(keys, function(a, b)
      local sa, sb = tostring(a), tostring(b)
      if sa ~= sb then return sa < sb end
      return type(a) < type(b)   -- 1 and "1": a fixed order whatever the raw one
    end)
    for i, k in ipairs(keys) do
      parts[i] = json_string(tostring(k)) .. ":" .. json(v[k], path .. "." .. tostring(k), open, depth)
    end
    open[v] = nil
    return "{" .. tconcat(parts, ",") .. "}"
  end
  error(sfmt("%s: a %s cannot be a parameter value (use numbers, strings, booleans and tables)", path, tv), 0)
end

---------------------------------------------------------------------------------------------------
-- Policy validation.
---------------------------------------------------------------------------------------------------
local COLUMN_TYPES = { text = true, integer = true, number = true, percent = true, flag = true }

local function parse_column(spec)
  local name, rest = smatch(spec, "^%s*([%a_][%w_]*)%s*:%s*(.-)%s*$")
  if not name then return nil, "expected 'name: type'" end
  local optional = false
  if ssub(rest, -1) == "?" then optional = true; rest = smatch(ssub(rest, 1, -2), "^(.-)%s*$") end
  local col = { name = name, optional = optional }
  local values = smatch(rest, "^enum%s*%((.*)%)$")
  if values then
    col.type = "enum"
    col.values = {}
    for v in string_lib.gmatch(values, "[^,]+") do
      v = smatch(v, "^%s*(.-)%s*$")
      if v ~= "" then col.values[#col.values + 1] = v end
    end
    if #col.values == 0 then return nil, "enum() needs at least one value" end
  elseif COLUMN_TYPES[rest] then
    col.type = rest
  else
    return nil, sfmt("unknown type '%s' (use text, integer, number, percent, flag, enum(a, b, ...))", rest)
  end
  return col
end

local MAX_RULES = 1000

local function check_policy(pol, chunkname)
  local problems = {}
  local function problem(line, fmt_, ...)
    problems[#problems + 1] = sfmt("%s:%s: %s", ssub(chunkname, 2), line or "1", sfmt(fmt_, ...))
  end
  if type(pol) ~= "table" then
    problem(nil, "the policy file must end with `return { ... }` (a table); it returned %s", type(pol))
    return nil, problems
  end
  local desc = { inputs = array(), rules = array(), bands = array(), sections = array() }
  local function want(field, kind, required)
    local v = pol[field]
    if v == nil then
      if required then problem(nil, "policy field '%s' is missing", field) end
      return nil
    end
    if type(v) ~= kind then problem(nil, "policy field '%s' must be a %s, not a %s", field, kind, type(v)) return nil end
    return v
  end
  desc.id = want("id", "string", true)
  if desc.id and not smatch(desc.id, "^[%w][%w._-]*$") then
    problem(nil, "policy id '%s' may use only letters, digits, '.', '_' and '-'", desc.id)
  end
  desc.title = want("title", "string", true)
  desc.year = want("year", "number", true)
  if desc.year and mtype(desc.year) ~= "integer" then problem(nil, "policy year must be an integer") end
  desc.jurisdiction = want("jurisdiction", "string", false)
  desc.language = want("language", "string", false) or "zh"
  if desc.language ~= "zh" and desc.language ~= "en" then problem(nil, "language must be 'zh' or 'en'") end
  local src = pol.source
  if type(src) == "string" then desc.source = { title = src }
  elseif type(src) == "table" then desc.source = { title = src.title, issued = src.issued, file = src.file, url = src.url }
  elseif src ~= nil then problem(nil, "policy field 'source' must be a string or a table") end
  desc.base = want("base", "number", false) or 0
  local ranking = pol.ranking or "competition"
  local rankings = { competition = "competition", ["1224"] = "competition", dense = "dense", ["1223"] = "dense" }
  desc.ranking = rankings[ranking]
  if not desc.ranking then
    problem(nil, "unknown ranking '%s' (use \"competition\" (1224) or \"dense\" (1223, 中国式排名))", tostring(ranking))
  end
  desc.unit_table = "units"
  local parent = pol.parent
  if parent ~= nil then
    if type(parent) ~= "table" or type(parent.id) ~= "string" then
      problem(nil, "policy field 'parent' must be a table { id = \"...\", sha256 = \"...\" }")
    else
      desc.parent = { id = parent.id, sha256 = parent.sha256, file = parent.file }
    end
  end
  -- bands
  local bands = want("bands", "table", false) or {}
  local band_ids = {}
  for i, b in ipairs(bands) do
    if type(b) ~= "table" or type(b.id) ~= "string" then
      problem(nil, "band #%d needs an id", i)
    else
      if band_ids[b.id] then problem(nil, "duplicate band id '%s'", b.id) end
      band_ids[b.id] = true
      if b.from == "history" then
        -- a multi-year band: the unit has band `band` this year and in each of the previous years - 1 runs
        if type(b.band) ~= "string" then problem(nil, "band '%s': a history band names the band it repeats (band = \"bottom20\")", b.id) end
        if mtype(b.years) ~= "integer" or b.years < 2 then problem(nil, "band '%s': years must be an integer of at least 2", b.id) end
        desc.bands[#desc.bands + 1] = { id = b.id, label = b.label or b.id, from = "history", fraction = 0,
          band = b.band, years = b.years, meaning = b.meaning }
      else
        if b.from ~= "top" and b.from ~= "bottom" then
          problem(nil, "band '%s': from must be \"top\", \"bottom\" or \"history\"", b.id)
        end
        if type(b.fraction) ~= "number" or b.fraction <= 0 or b.fraction > 1 then
          problem(nil, "band '%s': fraction must be a number in (0, 1]", b.id)
        end
        desc.bands[#desc.bands + 1] = { id = b.id, label = b.label or b.id, from = b.from, fraction = b.fraction,
          meaning = b.meaning }
      end
    end
  end
  for _, b in ipairs(desc.bands) do
    if b.from == "history" and type(b.band) == "string" then
      local target = nil
      for _, o in ipairs(desc.bands) do if o.id == b.band then target = o end end
      if target == nil or target.from == "history" then
        problem(nil, "band '%s' repeats band '%s', which is not a top or bottom band of this policy", b.id, b.band)
      end
    end
  end
  -- inputs
  local inputs = want("inputs", "table", true) or {}
  local names = {}
  for name in pairs(inputs) do
    if type(name) ~= "string" or not smatch(name, "^[%a_][%w_]*$") then
      problem(nil, "input table name '%s' must be an identifier", tostring(name))
    else
      names[#names + 1] = name
    end
  end
  tsort(names, function(a, b)
    if a == "units" then return b ~= "units" end
    if b == "units" then return false end
    return a < b
  end)
  if inputs.units == nil then problem(nil, "inputs must declare a 'units' table (one row per assessed unit)") end
  for _, name in ipairs(names) do
    local spec = inputs[name]
    local tab = { name = name, columns = array() }
    if type(spec) ~= "table" then
      problem(nil, "input '%s' must be a list of column specs like \"rate: number\"", name)
    else
      local seen = {}
      for i, cs in ipairs(spec) do
        if type(cs) ~= "string" then
          problem(nil, "input '%s' column #%d must be a string like \"rate: number\"", name, i)
        else
          local col, err = parse_column(cs)
          if not col then
            problem(nil, "input '%s' column \"%s\": %s", name, cs, err)
          elseif seen[col.name] then
            problem(nil, "input '%s' declares column '%s' twice", name, col.name)
          else
            seen[col.name] = true
            tab.columns[#tab.columns + 1] = col
          end
        end
      end
      if not seen.unit_id then problem(nil, "input '%s' must have a 'unit_id' column", name) end
      if name == "units" and not seen.name then problem(nil, "input 'units' must have a 'name' column") end
      if name == "units" and tab.columns[1] and tab.columns[1].name ~= "unit_id" then
        problem(nil, "input 'units' must list 'unit_id' first")
      end
      if name == "units" then
        for _, c in ipairs(tab.columns) do
          if inputs[c.name] ~= nil then
            problem(nil, "units column '%s' has the same name as an input table; rename one", c.name)
          end
        end
      end
    end
    desc.inputs[#desc.inputs + 1] = tab
  end
  -- self-check (a county's own scores per row, reconciled with the verified ones by the host)
  local sc = pol.selfcheck
  if sc ~= nil then
    if type(sc) ~= "table" or type(sc.table) ~= "string" then
      problem(nil, "policy field 'selfcheck' must be { table = \"...\", indicator = \"...\", score = \"...\", completed = \"...\", reason = \"...\" }")
    elseif type(inputs[sc.table]) ~= "table" then
      problem(nil, "selfcheck names table '%s', which is not an input", sc.table)
    else
      local cols = {}
      for _, c in ipairs(inputs[sc.table]) do
        local parsed = type(c) == "string" and parse_column(c) or nil
        if parsed then cols[parsed.name] = true end
      end
      for _, f in ipairs({ "indicator", "score", "completed", "reason" }) do
        if sc[f] ~= nil and not cols[sc[f]] then
          problem(nil, "selfcheck.%s names column '%s', which table '%s' does not declare", f, tostring(sc[f]), sc.table)
        end
      end
      desc.selfcheck = { table = sc.table, indicator = sc.indicator, score = sc.score, completed = sc.completed,
        reason = sc.reason }
    end
  end
  -- params
  if pol.params ~= nil and type(pol.params) ~= "table" then problem(nil, "policy field 'params' must be a table") end
  desc.params = pol.params or {}
  -- sections
  local section_ids = {}
  for i, s in ipairs(want("sections", "table", false) or {}) do
    if type(s) ~= "table" or type(s.id) ~= "string" then
      problem(nil, "section #%d needs an id", i)
    else
      if section_ids[s.id] then problem(nil, "duplicate section id '%s'", s.id) end
      section_ids[s.id] = true
      if s.min ~= nil and type(s.min) ~= "number" then problem(nil, "section '%s': min must be a number", s.id) end
      if s.max ~= nil and type(s.max) ~= "number" then problem(nil, "section '%s': max must be a number", s.id) end
      if type(s.min) == "number" and type(s.max) == "number" and s.min > s.max then
        problem(nil, "section '%s': min %s is greater than max %s", s.id, tostring(s.min), tostring(s.max))
      end
      desc.sections[#desc.sections + 1] = { id = s.id, title = s.title or s.id, citation = s.citation,
        min = s.min, max = s.max }
    end
  end
  -- rules
  local rules = want("rules", "table", true) or {}
  local fns, params, ids = {}, {}, {}
  if #rules == 0 then problem(nil, "the policy has no rules") end
  -- the host keeps a line item per unit and rule: a policy generating rules by the million would exhaust
  -- its memory (no published table has more than a few dozen rows)
  if #rules > MAX_RULES then
    problem(nil, "the policy has %d rules; a policy has at most %d", #rules, MAX_RULES)
    return nil, problems
  end
  for i, r in ipairs(rules) do
    if type(r) ~= "table" then
      problem(nil, "rule #%d must be a table", i)
    else
      local info = type(r.score) == "function" and dbg_getinfo(r.score, "S") or nil
      local line = info and info.linedefined or nil
      local id = r.id
      if type(id) ~= "string" or not smatch(id, "^[%w][%w._-]*$") then
        problem(line, "rule #%d needs an id made of letters, digits, '.', '_' or '-'", i)
        id = "#" .. i
      elseif ids[id] then
        problem(line, "duplicate rule id '%s'", id)
      end
      ids[id] = true
      if type(r.title) ~= "string" then problem(line, "rule '%s' needs a title", id) end
      if r.citation ~= nil and type(r.citation) ~= "string" then problem(line, "rule '%s': citation must be a string", id) end
      if type(r.score) ~= "function" then problem(line, "rule '%s' needs a score function", id) end
      for _, f in ipairs({ "min", "max" }) do
        if r[f] ~= nil and type(r[f]) ~= "number" then problem(line, "rule '%s': %s must be a number", id, f) end
      end
      if type(r.min) == "number" and type(r.max) == "number" and r.min > r.max then
        problem(line, "rule '%s': min %s is greater than max %s", id, tostring(r.min), tostring(r.max))
      end
      if r.section ~= nil and not section_ids[r.section] then
        problem(line, "rule '%s' names section '%s', which is not declared", id, tostring(r.section))
      end
      if r.params ~= nil and type(r.params) ~= "table" then problem(line, "rule '%s': params must be a table", id) end
      fns[i] = r.score
      params[i] = r.params or {}
      desc.rules[i] = { id = id, citation = r.citation or "", title = r.title or id, section = r.section,
        min = r.min, max = r.max, range = r.range, line = line, last_line = info and info.lastlinedefined or nil,
        params = r.params or {}, index = i - 1 }
    end
  end
  if #problems > 0 then return nil, problems end
  return desc, nil, fns, params
end

---------------------------------------------------------------------------------------------------
-- Host functions.
---------------------------------------------------------------------------------------------------
local trace_log = {}

-- explain's view of a rule's params: reads are recorded (trace_json). One view per table and rule, so a
-- rule sees the same identities as when scoring; views are read-only and see-through like the tables.
local function trace_proxy(t, path, cache)
  local p = cache[t]
  if p ~= nil then return p end
  p = setmetatable({}, {
    __index = function(_, k)
      local v = t[k]
      local sub = path == "" and tostring(k) or (path .. "." .. tostring(k))
      if type(v) == "table" then return trace_proxy(v, sub, cache) end
      if v == nil then return nil end
      trace_log[#trace_log + 1] = { P.current_rule and P.current_rule() or -1, sub, v }
      return v
    end,
    __newindex = readonly_error,
    __len = function() return #t end,
    __metatable = false,
  })
  cache[t] = p
  views[p] = t
  frozen[p] = true
  visible_mt[p] = safe_getmetatable(t)
  return p
end

local loaded = nil   -- the policy loaded last: { desc, fns, params } (for the test harness)

local function new_env()
  local E0 = setmetatable({}, { __index = G, __metatable = false })
  local ME = { __index = E0, __newindex = E0, __metatable = false }
  local E = setmetatable({}, ME)
  frozen[E] = true
  return E, E0, ME
end

local function newlines(s) return select(2, sgsub(s, "\n", "")) end

-- The line near which brackets nest deepest (skipping strings and comments), for "nests too deeply".
local function deepest_line(src)
  local depth, line, best, best_line = 0, 1, 0, nil
  local i, n = 1, #src
  while i <= n do
    local c = sbyte(src, i)
    if c == 10 then
      line = line + 1
    elseif c == 34 or c == 39 then                       -- "..." or '...'
      local j = i + 1
      while j <= n do
        local d = sbyte(src, j)
        if d == 92 then j = j + 1 elseif d == c or d == 10 then break end
        j = j + 1
      end
      i = j
    elseif c == 45 and sbyte(src, i + 1) == 45 then       -- a comment
      local eq = smatch(src, "^%[(=*)%[", i + 2)
      local j
      if eq then
        local _, e = sfind(src, "]" .. eq .. "]", i + 2, true)
        j = e or n
      else
        j = sfind(src, "\n", i + 2, true) or n + 1
        j = j - 1
      end
      line = line + newlines(ssub(src, i, j))
      i = j
    elseif c == 91 and smatch(src, "^%[=*%[", i) then      -- a long string
      local eq = smatch(src, "^%[(=*)%[", i)
      local _, e = sfind(src, "]" .. eq .. "]", i, true)
      e = e or n
      line = line + newlines(ssub(src, i, e))
      i = e
    elseif c == 40 or c == 91 or c == 123 then
      depth = depth + 1
      if depth > best then best, best_line = depth, line end
    elseif c == 41 or c == 93 or c == 125 then
      depth = depth - 1
    end
    i = i + 1
  end
  return best_line
end

-- load, for policy and test files: text only, and the two failures Lua words for itself made readable.
local function compile(src, chunkname, env)
  local name = ssub(chunkname, 2)
  if sbyte(src, 1) == 27 then
    return nil, sfmt("%s: policy files must be Lua source text; this file is a precompiled binary chunk " ..
      "(give kaohe the .lua file it was compiled from)", name)
  end
  local chunk, err = load(src, chunkname, "t", env)
  if chunk then return chunk end
  if sfind(err, "C stack overflow", 1, true) or sfind(err, "C levels", 1, true) then
    return nil, sfmt("%s:%d: the code nests too deeply for Lua to read (C stack overflow while compiling: " ..
      "brackets, tables, calls or blocks about 200 levels deep); split the expression into local variables " ..
      "or smaller functions", name, deepest_line(src) or 1)
  end
  return nil, err
end

-- The values of a loaded policy whose reach is checked and frozen, in the order problems are named.
local function policy_roots(pol, E0, fns, params, desc)
  local roots = {}
  for i = 1, #fns do
    local who = sfmt("rule '%s'", desc.rules[i].id)
    roots[#roots + 1] = { fns[i], who, desc.rules[i].line }
    roots[#roots + 1] = { params[i], who, desc.rules[i].line }
  end
  for _, k in ipairs(sorted_keys(E0, "globals")) do
    local v = rawget(E0, k)
    local line = type(v) == "function" and dbg_getinfo(v, "S").linedefined or nil
    roots[#roots + 1] = { v, sfmt("a function reached from global '%s'", tostring(k)), line }
  end
  roots[#roots + 1] = { pol, "a function reached from the policy table", nil }
  return roots
end

--- load(source, chunkname, trace) -> json, rules, params, ME, MS  |  nil, kind, message
function H.load(src, chunkname, trace)
  local E, E0, ME = new_env()
  local chunk, err = compile(src, chunkname, E)
  if not chunk then return nil, "syntax", err end
  local pol = chunk()
  local desc, problems, fns, params = check_policy(pol, chunkname)
  if not desc then return nil, "policy", tconcat(problems, "\n") end
  local ok, text = pcall(json, desc, "policy")
  if not ok then return nil, "policy", ssub(chunkname, 2) .. ": " .. tostring(text) end
  -- everything the policy can reach (its globals, tables, params, functions' upvalues) becomes read-only;
  -- a function that assigns a variable declared outside it is refused
  local refusal = freeze_policy(policy_roots(pol, E0, fns, params, desc), ssub(chunkname, 2))
  if refusal then return nil, "policy", refusal end
  if trace then
    for i = 1, #params do params[i] = trace_proxy(params[i], "", setmetatable({}, { __mode = "k" })) end
  end
  loaded = { desc = desc, fns = fns, params = params }
  local MS = { __index = E0, __metatable = false }
  ME.__index = setmetatable({}, MS)
  ME.__newindex = P.env_newindex
  return text, fns, params, ME, MS
end

--- eval(source, chunkname) -> true, "", results joined by tabs  |  false, kind, message
function H.eval(src, chunkname)
  local E = new_env()
  local chunk, err = compile(src, chunkname, E)
  if not chunk then return false, "syntax", err end
  local r = tpack(chunk())
  local out = {}
  for i = 1, r.n do out[i] = tostring(r[i]) end
  return true, "", tconcat(out, "\t")
end

function H.trace_json()
  local out = {}
  for i, e in ipairs(trace_log) do
    local v = e[3]
    if type(v) ~= "number" and type(v) ~= "string" and type(v) ~= "boolean" then v = tostring(v) end
    out[i] = { e[1], e[2], v }
  end
  trace_log = {}
  if #out == 0 then return "[]" end
  return json(out, "trace")
end

-- testing.lua follows (the host joins the two files and adds `return H`).
