-- kaohe prelude: determinism (the first part; values that are the same on every run).
--
-- The prelude is trusted code, run once per sandbox before any policy, in parts (LuaSandbox.preludeParts
-- lists them in order). Each part is its own chunk and gets one internal table, K: it reads from K what
-- earlier parts exported (K.P holds the C core's primitives) and adds what later parts need. No function
-- keeps K itself; the C core drops it and wipes the real global table once the last part has run, so only
-- what the parts capture as locals stays reachable, and only from here.
--
-- A Lua state's string hash seed is random (luai_makeseed mixes the time and addresses), so the raw order
-- of `next` changes from run to run, and tostring(table) and '%p' print addresses. A policy sees none of
-- these. Exports: tostring, format, pairs, sort.
local K = ...
local P = K.P

local error, type, raw_tostring, rawget, rawequal = error, type, tostring, rawget, rawequal
local setmetatable = setmetatable
local dbg_getmetatable = debug.getmetatable
local sfmt = string.format
local see_through, sorted_keys, evaluation = P.see_through, P.sorted_keys, P.evaluation

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

-- The prelude's own iterations whose errors a policy can see go in the fixed order too (K.pairs).
K.tostring = tostring
K.format = safe_format
K.pairs = ordered_pairs
K.sort = safe_sort
