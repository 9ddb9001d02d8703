-- kaohe prelude: freezing.
--
-- Once a policy has loaded, every table it can reach is made read-only in place ("hollowed"): its contents
-- move to a private shadow table, and the table, now empty and with the same identity, gets a protected
-- metatable that reads from the shadow and refuses every write. Nothing a rule does to a policy value can
-- reach another evaluation.
-- Exports: frozen, visible_mt, copies (weak maps), readonly_error, getmetatable, hollow, static_fns,
-- freeze_policy, PRELUDE_SOURCE.
local K = ...
local P = K.P

local error, type, ipairs, assert, setmetatable, getmetatable = error, type, ipairs, assert, setmetatable, getmetatable
local raw_next, rawget, rawset = next, rawget, rawset
local dbg_getupvalue, dbg_getinfo = debug.getupvalue, debug.getinfo
local dbg_setmetatable, dbg_getmetatable = debug.setmetatable, debug.getmetatable
local sfmt, sdump = string.format, string.dump
local tostring = K.tostring
local shadow_of, len_of, upvalue_writes = P.shadows, P.len_of, P.upvalue_writes

-- Every part is loaded under this chunk name: a function whose source it is belongs to the prelude.
local PRELUDE_SOURCE = "=kaohe/prelude"

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

-- Functions of the prelude and C functions that keep no state between calls (the globals part fills it in).
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
-- their problems are reported. Returns nil, or the refusal: line (nil: none of its own), code, message.
local function freeze_policy(roots)
  local seen, tables = {}, {}
  for _, root in ipairs(roots) do
    local functions = {}
    local kept = reach(root[1], seen, tables, functions)
    if kept ~= nil then
      return root[3], "policy.keeps-iterator", sfmt("%s keeps a function made while the file loaded that is not " ..
        "part of the policy's own code (an iterator from pairs, string.gmatch or utf8.codes, which would carry its " ..
        "place from one unit to the next); call it inside the function that uses it", root[2])
    end
    local line, name = first_write(functions)
    if line ~= nil then
      return line, "policy.writes-upvalue", sfmt("%s writes to '%s', a variable declared outside its function: " ..
        "its value would carry over from one unit (or rule) to the next, so results would depend on the order " ..
        "units are scored in and on the number of workers; move it inside score or into params", root[2], name)
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

K.PRELUDE_SOURCE = PRELUDE_SOURCE
K.frozen, K.visible_mt, K.copies = frozen, visible_mt, copies
K.readonly_error = readonly_error
K.getmetatable = safe_getmetatable
K.hollow = hollow
K.static_fns = static_fns
K.freeze_policy = freeze_policy
