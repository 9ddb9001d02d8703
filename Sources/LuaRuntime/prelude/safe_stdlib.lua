-- kaohe prelude: safe replacements for standard functions (the globals part puts them in place).
-- Exports: setmetatable, rawset, rawget, rawlen, xpcall, move, rep (in K.safe).
local K = ...
local P = K.P

local error, type, pcall, tostring = error, type, pcall, K.tostring
local raw_next, rawget, rawset, rawlen = next, rawget, rawset, rawlen
local dbg_setmetatable, dbg_getmetatable = debug.setmetatable, debug.getmetatable
local sfmt, srep = string.format, string.rep
local tpack, tunpack, tmove = table.pack, table.unpack, table.move
local tointeger = math.tointeger
local see_through = P.see_through
local frozen, copies, readonly_error = K.frozen, K.copies, K.readonly_error

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

K.safe = {
  setmetatable = safe_setmetatable, rawset = safe_rawset, rawget = safe_rawget, rawlen = safe_rawlen,
  xpcall = safe_xpcall, move = safe_move, rep = safe_rep,
}
