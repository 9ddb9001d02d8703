-- kaohe prelude: the host functions the C core calls (sandbox.c): load (compile, run, validate and freeze a
-- policy), eval, trace_json and global_names.
-- Exports: H (the host functions; the C core keeps it), compile (load for policy and test files), session
-- (session.loaded: the policy loaded last).
local K = ...
local P = K.P

local load, pcall, type, select, ipairs, setmetatable, rawget = load, pcall, type, select, ipairs, setmetatable, rawget
local dbg_getinfo = debug.getinfo
local sfmt, sgsub, sfind, ssub, sbyte, smatch = string.format, string.gsub, string.find, string.sub, string.byte,
    string.match
local tconcat, tpack = table.concat, table.pack
local tostring, json, G = K.tostring, K.json, K.G
local frozen, visible_mt, readonly_error, safe_getmetatable = K.frozen, K.visible_mt, K.readonly_error, K.getmetatable
local freeze_policy, check_policy, format_problems = K.freeze_policy, K.check_policy, K.format_problems
local policy_language = K.policy_language
local views, sorted_keys, current_rule = P.views, P.sorted_keys, P.current_rule
local global_names = K.global_names

local H = {}

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
      trace_log[#trace_log + 1] = { current_rule and current_rule() or -1, sub, v }
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

local session = {}   -- session.loaded: the policy loaded last, { desc, fns, params } (for the test harness)

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
  local nr = #desc.rules
  for i = 1, #fns do
    local item = i <= nr and desc.rules[i] or desc.vetoes[i - nr]
    local who = sfmt(i <= nr and "rule '%s'" or "veto '%s'", item.id)
    roots[#roots + 1] = { fns[i], who, item.line }
    roots[#roots + 1] = { params[i], who, item.line }
  end
  for _, k in ipairs(sorted_keys(E0, "globals")) do
    local v = rawget(E0, k)
    local line = type(v) == "function" and dbg_getinfo(v, "S").linedefined or nil
    roots[#roots + 1] = { v, sfmt("a function reached from global '%s'", tostring(k)), line }
  end
  roots[#roots + 1] = { pol, "a function reached from the policy table", nil }
  return roots
end

-- A refusal: the problems as "file:line: message" lines, and as records in JSON (for the host's diagnostics).
local function refuse(file, problems)
  local ok, records = pcall(json, problems, "diagnostics")
  return nil, "policy", format_problems(file, problems), ok and records or nil
end

--- load(source, chunkname, trace) -> json, fns, params, ME, MS, vetoes  |  nil, kind, message [, diagnostics JSON]
--- fns: the rules' score functions, then the vetoes' when functions (the last `vetoes` of them)
function H.load(src, chunkname, trace)
  local E, E0, ME = new_env()
  local chunk, err = compile(src, chunkname, E)
  if not chunk then return nil, "syntax", err end
  local pol = chunk()
  local file = ssub(chunkname, 2)
  local desc, problems, fns, params = check_policy(pol, src)
  if not desc then return refuse(file, problems) end
  local ok, text = pcall(json, desc, "policy")
  if not ok then
    local message = tostring(text)
    local encoded, records = pcall(json, { { code = "params.not-data", message = message } }, "diagnostics")
    return nil, "policy", file .. ": " .. message, encoded and records or nil
  end
  -- everything the policy can reach (its globals, tables, params, functions' upvalues) becomes read-only;
  -- a function that assigns a variable declared outside it is refused
  local line, code, message = freeze_policy(policy_roots(pol, E0, fns, params, desc))
  if code then return refuse(file, { { line = line, code = code, message = message } }) end
  if trace then
    for i = 1, #params do params[i] = trace_proxy(params[i], "", setmetatable({}, { __mode = "k" })) end
    params[0] = trace_proxy(params[0], "params", setmetatable({}, { __mode = "k" }))
  end
  session.loaded = { desc = desc, fns = fns, params = params }
  policy_language.value = desc.language
  local MS = { __index = E0, __metatable = false }
  ME.__index = setmetatable({}, MS)
  ME.__newindex = P.env_newindex
  return text, fns, params, ME, MS, #desc.vetoes
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

--- global_names() -> JSON { globals = [...], library = [...] }: every global a policy sees, and every
--- function of the library tables (globals.lua).
function H.global_names()
  return json(global_names, "names")
end

K.H = H
K.compile = compile
K.session = session
