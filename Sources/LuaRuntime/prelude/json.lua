-- kaohe prelude: JSON, for what the host reads (a policy's description, its diagnostics, test reports):
-- sorted keys, integers exact, floats as %.14g.
-- Exports: json(value, path) -> text (raises "path: ..." on what is not data), array() (a table that
-- encodes as a JSON array even when empty).
local K = ...

local error, type, ipairs, setmetatable = error, type, ipairs, setmetatable
local raw_next = next
local dbg_getmetatable = debug.getmetatable
local sfmt, sgsub, sbyte = string.format, string.gsub, string.byte
local tconcat, tsort = table.concat, table.sort
local mtype, floor, huge = math.type, math.floor, math.huge
local tostring, pairs = K.tostring, K.pairs

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

K.json = json
K.array = array
