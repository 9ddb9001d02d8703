-- kaohe prelude: the globals a policy sees. This is the one list of them: the host reads the names back
-- (LuaSandbox.globalNames) for its "did you mean" hints.
-- Exports: G (the policy's global table, read-only), global_names ({ globals = {...}, library = {...} },
-- sorted: every global, and every function of the library tables).
local K = ...
local P = K.P

local type, ipairs, getmetatable = type, ipairs, getmetatable
local raw_next = next
local tsort = table.sort
local utf8_codes = utf8.codes
local safe, helpers, static_fns, hollow = K.safe, K.helpers, K.static_fns, K.hollow

-- Taken from the standard library as they are.
local BASE = { "assert", "error", "ipairs", "pcall", "select", "tonumber", "type", "rawequal", "_VERSION" }
local LIBRARIES = {
  string = { "byte", "char", "find", "gmatch", "gsub", "len", "lower", "match", "reverse", "sub", "upper", "pack",
    "packsize", "unpack" },
  table = { "concat", "insert", "move", "pack", "remove", "sort", "unpack" },
  math = { "abs", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max", "maxinteger", "min",
    "mininteger", "modf", "pi", "rad", "sin", "sqrt", "tan", "tointeger", "type", "ult" },
  utf8 = { "char", "charpattern", "codepoint", "codes", "len", "offset" },
}
-- The prelude's own versions (determinism, freeze and safe_stdlib parts).
local REPLACED = {
  pairs = K.pairs, next = P.next, tostring = K.tostring, getmetatable = K.getmetatable, rawget = safe.rawget,
  rawlen = safe.rawlen, rawset = safe.rawset, setmetatable = safe.setmetatable, xpcall = safe.xpcall,
}
local REPLACED_IN = {
  string = { rep = safe.rep, format = K.format },
  table = { move = safe.move, sort = K.sort },
}
local LIBRARY_ORDER = { "string", "table", "math", "utf8" }

local function pick(lib, names)
  local out = {}
  for _, n in ipairs(names) do out[n] = lib[n] end
  return out
end

local G = pick(_G, BASE)
for k, v in raw_next, REPLACED do G[k] = v end
for _, name in ipairs(LIBRARY_ORDER) do
  local lib = pick(_G[name], LIBRARIES[name])
  for k, v in raw_next, REPLACED_IN[name] or {} do lib[k] = v end
  G[name] = lib
end
for k, v in raw_next, helpers do G[k] = v end

-- The names, before G is frozen.
local globals, library, seen = {}, {}, {}
for k, v in raw_next, G do
  globals[#globals + 1] = k
  if type(v) == "table" then
    for f, x in raw_next, v do
      if type(x) == "function" and not seen[f] then seen[f] = true; library[#library + 1] = f end
    end
  end
end
tsort(globals)
tsort(library)

-- Every function a policy can get from the globals keeps no state between calls (stateless iterators
-- included); a policy may hold them in file-level locals. Anything else of the prelude or C it holds was
-- made by a call (an iterator with its place) and is refused when the policy loads.
for _, lib in raw_next, G do
  if type(lib) == "function" then static_fns[lib] = true end
  if type(lib) == "table" then for _, f in raw_next, lib do if type(f) == "function" then static_fns[f] = true end end end
end
static_fns[(ipairs({}))] = true
static_fns[(utf8_codes(""))] = true
-- The standard library and the helpers' methods are read-only like the policy's own tables.
for _, v in raw_next, G do if type(v) == "table" then hollow(v) end end
for _, methods in ipairs(K.tally_methods) do hollow(methods) end
hollow(G)

-- Strings index the sandbox's string table; the metatable itself is out of reach.
do
  local smt = getmetatable("")
  smt.__index = G.string
  smt.__metatable = false
end

K.G = G
K.global_names = { globals = globals, library = library }
