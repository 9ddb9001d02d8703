-- kaohe prelude: policy validation. check_policy reads the schema (schema.lua) for each kind's fields, in
-- order, and builds the description the host reads from it.
--
-- Every problem goes through problem(), which keeps a record { line = n | nil, code = "...", message = "..." }
-- (line nil: the problem has no line of its own; the text form shows line 1). Codes, `kind.what`:
--   policy.not-a-table        the file does not return a table
--   policy.missing-field      a required policy field is absent
--   policy.field-type         a policy field has the wrong type (source, parent, selfcheck, params: their shape)
--   policy.bad-id             the policy id has characters other than letters, digits, '.', '_' and '-'
--   policy.year-not-integer   year is not an integer
--   policy.bad-language       language is neither "zh" nor "en"
--   policy.unknown-ranking    ranking is none of competition, 1224, dense, 1223
--   policy.no-rules           rules is empty
--   policy.too-many-rules     more rules than the schema's max_rules (checking stops there)
--   policy.tie-break          a tie_break entry that is no rule or section id, named twice, or both
--   band.missing-id           a band that is not a table with a string id
--   band.duplicate-id         two bands with one id
--   band.bad-from             from is not "top", "bottom" or "history"
--   band.bad-fraction         a top or bottom band's fraction is not a number in (0, 1]
--   band.missing-band         a history band does not name the band it repeats
--   band.bad-years            a history band's years is not an integer of at least 2
--   band.unknown-band         a history band repeats a band that is not a top or bottom band of the policy
--   band.fraction-and-count   a band gives both fraction and count
--   band.bad-count            count is not a whole number of at least 1
--   band.count-with-fraction-field  a count band with at_least or round
--   band.bad-at-least         at_least is not a whole number of at least 1
--   band.bad-round            round is none of floor, nearest, ceil
--   band.bad-after            after names no earlier band, or one from the other end
--   band.min-above-max        min_total is greater than max_total
--   band.field-type           min_total/max_total not a number, award not a boolean
--   band.not-for-history      a top/bottom field on a history band, or band/years on a top/bottom band
--   groups.unknown-column     groups.by names no units column (with the closest one)
--   groups.bad-column         groups.by names a column that is neither text nor enum
--   groups.needs-order        groups.by names a text column and groups.order is missing
--   groups.field-type         groups.order is not a list of strings, groups.labels not a map to strings
--   groups.duplicate          groups.order names a value twice
--   groups.unknown-value      groups.order or labels name a value the column cannot hold / no group
--   groups.missing-value      groups.order leaves out a value of the enum column
--   total.bad-decimals        total.decimals is not a whole number from 0 to 6
--   total.bad-rounding        total.rounding is neither half-up nor half-even
--   veto.bad-id               a veto without an id of letters, digits, '.', '_' or '-'
--   veto.duplicate-id         two vetoes with one id
--   veto.missing-field        a veto without a title or a when function
--   policy.too-many-vetoes    more vetoes than the schema's max_rules
--   input.bad-name            an input table name that is not an identifier
--   input.no-units            no 'units' input
--   input.not-a-list          an input that is not a list of column specs
--   input.no-unit-id          an input without a 'unit_id' column
--   input.units-no-name       the units input has no 'name' column
--   input.units-order         the units input does not list 'unit_id' first
--   input.shadowed-table      a units column named like an input table
--   input.field-type          an input field has the wrong type (one_row_per_unit)
--   column.not-a-string       a column spec that is not a string
--   column.bad-spec           a column spec that does not parse ("name: type")
--   column.duplicate          an input declares a column twice
--   selfcheck.unknown-table   selfcheck.table is not an input
--   selfcheck.unknown-column  a selfcheck column the table does not declare
--   section.missing-id        a section that is not a table with a string id
--   section.duplicate-id      two sections with one id
--   section.field-type        a section field has the wrong type (min, max)
--   section.min-above-max     min is greater than max
--   rule.not-a-table          a rule that is not a table
--   rule.bad-id               a rule id missing or not made of letters, digits, '.', '_' or '-'
--   rule.duplicate-id         two rules with one id
--   rule.missing-field        a required rule field absent or of the wrong type (title, score)
--   rule.field-type           a rule field has the wrong type (citation, min, max, params)
--   rule.min-above-max        min is greater than max
--   rule.unknown-section      a rule names a section that is not declared
--   <kind>.unknown-field      a field no kind of that object has (policy, source, parent, band, selfcheck,
--                             section, rule): named, with its line when the source shows it, and the closest
--                             known name
-- H.load (host.lua) adds, for a policy that passes these checks:
--   policy.keeps-iterator     a value keeps a prelude or C function made while the file loaded
--   policy.writes-upvalue     a function assigns a variable declared outside it
--   params.not-data           a value to describe is not data (a cycle, too deep, a function, inf/nan)
-- Exports: check_policy(pol) -> desc, nil, fns, params | nil, problems; format_problems(file, problems).
local K = ...

local type, ipairs = type, ipairs
local dbg_getinfo = debug.getinfo
local sfmt, ssub, smatch, gmatch = string.format, string.sub, string.match, string.gmatch
local tconcat, tsort = table.concat, table.sort
local mtype, mmin, mmax, mabs, mhuge = math.type, math.min, math.max, math.abs, math.huge
local next, sgsub = next, string.gsub
local tostring, pairs, array, S = K.tostring, K.pairs, K.array, K.schema

local ID = "^[%w][%w._-]*$"

local function problem(problems, line, code, fmt, ...)
  problems[#problems + 1] = { line = line, code = code, message = sfmt(fmt, ...) }
end

-- "file:line: message" lines, as the host shows them (line 1 for a problem without a line).
local function format_problems(file, problems)
  local lines = {}
  for i, p in ipairs(problems) do lines[i] = sfmt("%s:%s: %s", file, p.line or "1", p.message) end
  return tconcat(lines, "\n")
end

local function has_type(f, v)
  local t = f.type
  if type(t) == "string" then return type(v) == t end
  for _, x in ipairs(t) do if type(v) == x then return true end end
  return false
end

local function fresh(v) if type(v) == "table" then return {} end return v end

-- The description of one object: the described fields of its kind, with their defaults; `id` (if given)
-- replaces the key field's value.
local function describe(kind, t, id)
  local out = {}
  for _, f in ipairs(S[kind]) do
    if f.described ~= false then
      local v = t[f.name]
      if f.key and id ~= nil then v = id end
      if not v and f.default_field then v = out[f.default_field] or v
      elseif not v and f.default ~= nil then v = fresh(f.default) end
      out[f.name] = v
    end
  end
  return out
end

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
    for v in gmatch(values, "[^,]+") do
      v = smatch(v, "^%s*(.-)%s*$")
      if v ~= "" then col.values[#col.values + 1] = v end
    end
    if #col.values == 0 then return nil, "enum() needs at least one value" end
  else
    for _, t in ipairs(S.column_types) do if rest == t then col.type = rest end end
    if col.type == nil then
      return nil, sfmt("unknown type '%s' (use text, integer, number, percent, flag, enum(a, b, ...))", rest)
    end
  end
  return col
end

-- Checks of one field beyond its type, by kind and field name, run in the schema's order. ctx: { problems,
-- desc, inputs, section_ids, fns, params }; a policy field's check gets its value (nil when absent or of the
-- wrong type, or the default), an object field's check the object, the words naming it, and its line.
local FIELD = { policy = {}, band = {}, section = {}, rule = {}, groups = {}, total = {}, veto = {} }

local function min_above_max(kind)
  return function(ctx, t, who, line)
    if type(t.min) == "number" and type(t.max) == "number" and t.min > t.max then
      problem(ctx.problems, line, kind .. ".min-above-max", "%s: min %s is greater than max %s", who,
        tostring(t.min), tostring(t.max))
    end
  end
end

-- Edits between two names (insertions, deletions, substitutions, swaps of neighbours).
local function distance(a, b)
  local la, lb = #a, #b
  local d = {}
  for i = 0, la do d[i] = { [0] = i } end
  for j = 0, lb do d[0][j] = j end
  for i = 1, la do
    for j = 1, lb do
      local cost = ssub(a, i, i) == ssub(b, j, j) and 0 or 1
      local v = mmin(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if i > 1 and j > 1 and ssub(a, i, i) == ssub(b, j - 1, j - 1) and ssub(a, i - 1, i - 1) == ssub(b, j, j) then
        v = mmin(v, d[i - 2][j - 2] + 1)
      end
      d[i][j] = v
    end
  end
  return d[la][lb]
end

-- Names users reach for that are another field's (or a field of a later policy format's) words.
local ALIASES = { group_by = "groups", tiebreak = "tie_break", tie_breaker = "tie_break",
  veto = "vetoes", quota = "count", places = "count", cap = "max", floor = "min", article = "citation",
  decimals = "total", rounding = "total", min_score = "min_total", max_score = "max_total", score_line = "min_total",
  awarded = "award", group = "groups", if_ = "when", condition = "when", test = "when" }

-- The one known name close to `name` (at most 2 edits, fewer than half its letters; or a known alias).
local function closest(name, known)
  local alias = ALIASES[name]
  if alias and known[alias] then return alias end
  local limit = mmax(1, mmin(2, #name // 2))
  local best, best_d, tie = nil, limit + 1, false
  for k in next, known do
    local d = distance(name, k)
    if d < best_d then best, best_d, tie = k, d, false elseif d == best_d then tie = true end
  end
  if tie then return nil end
  return best
end

-- The line of `key = ` in the source nearest `near` (the object's own line, when known), or nil.
local function line_of(ctx, key, near)
  local lines = ctx.source_lines
  if not lines or (type(key) ~= "string" and type(key) ~= "number") then return near end
  local escaped = sgsub(tostring(key), "%W", "%%%0")
  local pattern, pattern2 = "^%s*" .. escaped .. "%s*=", "[{,]%s*" .. escaped .. "%s*="
  if type(key) == "number" then pattern, pattern2 = "%[%s*" .. escaped .. "%s*%]%s*=", "%[%s*" .. escaped .. "%s*%]%s*=" end
  local best, best_d = nil, mhuge
  for i, l in ipairs(lines) do
    if smatch(l, pattern) or smatch(l, pattern2) then
      local d = near and mabs(i - near) or i
      if d < best_d then best, best_d = i, d end
    end
  end
  return best or near
end

-- Every key of `t` must be a field of `kind`: a field kaohe does not know is never silently ignored.
local function unknown_fields(ctx, kind, t, who, line)
  local known = {}
  for _, f in ipairs(S[kind]) do known[f.name] = true end
  local keys = {}
  for k in next, t do
    if not known[k] then keys[#keys + 1] = k end
  end
  tsort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == "string" or type(a) == "number") then return a < b end
    return type(a) < type(b)
  end)
  for _, k in ipairs(keys) do
    local shown = type(k) == "string" and sfmt("'%s'", k) or sfmt("[%s]", tostring(k))
    local near = type(k) == "string" and closest(k, known) or nil
    local names = {}
    for _, f in ipairs(S[kind]) do names[#names + 1] = f.name end
    local hint = near and sfmt("; did you mean '%s'?", near) or sfmt(" (a %s has: %s)", kind, tconcat(names, ", "))
    if kind == "policy" then
      problem(ctx.problems, line_of(ctx, k, line), "policy.unknown-field", "unknown policy field %s%s", shown, hint)
    else
      problem(ctx.problems, line_of(ctx, k, line), kind .. ".unknown-field", "%s: unknown field %s%s", who, shown, hint)
    end
  end
end
K.unknown_fields = unknown_fields

-- Type and presence of an object's checked fields, each followed by the field's own check.
local function check_fields(ctx, kind, t, who, line)
  unknown_fields(ctx, kind, t, who, line)
  local own = FIELD[kind]
  for _, f in ipairs(S[kind]) do
    if not f.key then
      local v = t[f.name]
      if f.checked and (v == nil or not has_type(f, v)) then
        if f.required then
          problem(ctx.problems, line, kind .. ".missing-field", "%s needs %s", who, f.need)
        elseif v ~= nil then
          problem(ctx.problems, line, kind .. ".field-type", "%s: %s must be a %s", who, f.name, f.type)
        end
      end
      local check = own[f.name]
      if check then check(ctx, t, who, line) end
    end
  end
end

function FIELD.policy.id(ctx, id)
  if id and not smatch(id, ID) then
    problem(ctx.problems, nil, "policy.bad-id", "policy id '%s' may use only letters, digits, '.', '_' and '-'", id)
  end
end

function FIELD.policy.year(ctx, year)
  if year and mtype(year) ~= "integer" then problem(ctx.problems, nil, "policy.year-not-integer", "policy year must be an integer") end
end

function FIELD.policy.language(ctx, language)
  if language ~= "zh" and language ~= "en" then problem(ctx.problems, nil, "policy.bad-language", "language must be 'zh' or 'en'") end
end

function FIELD.policy.source(ctx, src)
  if type(src) == "string" then ctx.desc.source = { title = src }
  elseif type(src) == "table" then
    unknown_fields(ctx, "source", src, "source", nil)
    ctx.desc.source = describe("source", src)
  end
end

local RANKINGS = { competition = "competition", ["1224"] = "competition", dense = "dense", ["1223"] = "dense" }
function FIELD.policy.ranking(ctx, ranking, f)
  ranking = ranking or f.default
  ctx.desc.ranking = RANKINGS[ranking]
  if not ctx.desc.ranking then
    problem(ctx.problems, nil, "policy.unknown-ranking",
      "unknown ranking '%s' (use \"competition\" (1224) or \"dense\" (1223, 中国式排名))", tostring(ranking))
  end
end

function FIELD.policy.parent(ctx, parent, f)
  ctx.desc.parent = nil
  if parent == nil then return end
  if type(parent.id) ~= "string" then problem(ctx.problems, nil, "policy.field-type", f.message) return end
  unknown_fields(ctx, "parent", parent, "parent", nil)
  ctx.desc.parent = describe("parent", parent)
end

-- bands
local TOP_BOTTOM_ONLY = { "count", "after", "at_least", "round", "min_total", "max_total", "fraction" }

function FIELD.band.from(ctx, b, who, line)
  if b.from ~= "history" and b.from ~= "top" and b.from ~= "bottom" then
    problem(ctx.problems, line, "band.bad-from", "%s: from must be \"top\", \"bottom\" or \"history\"", who)
  elseif b.from == "history" then
    for _, f in ipairs(TOP_BOTTOM_ONLY) do
      if b[f] ~= nil then
        problem(ctx.problems, line_of(ctx, f, line), "band.not-for-history",
          "%s: %s applies to top and bottom bands; a history band holds the units that had band '%s' %s years running",
          who, f, tostring(b.band), tostring(b.years))
      end
    end
  end
end

local function positive_integer(v) return mtype(v) == "integer" and v >= 1 end

function FIELD.band.fraction(ctx, b, who, line)
  if b.from == "history" or (b.from ~= "top" and b.from ~= "bottom") then return end
  if b.fraction ~= nil and b.count ~= nil then
    problem(ctx.problems, line, "band.fraction-and-count", "%s: give either fraction (a share of the group) or count " ..
      "(a number of places), not both", who)
  elseif b.count ~= nil then
    if not positive_integer(b.count) then
      problem(ctx.problems, line_of(ctx, "count", line), "band.bad-count", "%s: count must be a whole number of places, at least 1", who)
    end
  elseif type(b.fraction) ~= "number" or b.fraction <= 0 or b.fraction > 1 then
    problem(ctx.problems, line, "band.bad-fraction", "%s: fraction must be a number in (0, 1] (or give count = places)", who)
  end
end

function FIELD.band.count(ctx, b, who, line)
  if b.count ~= nil and b.fraction == nil and (b.at_least ~= nil or b.round ~= nil) then
    problem(ctx.problems, line_of(ctx, b.at_least ~= nil and "at_least" or "round", line), "band.count-with-fraction-field",
      "%s: at_least and round apply to fraction bands; a count band holds count places", who)
  end
end

function FIELD.band.at_least(ctx, b, who, line)
  if b.at_least ~= nil and not positive_integer(b.at_least) then
    problem(ctx.problems, line_of(ctx, "at_least", line), "band.bad-at-least", "%s: at_least must be a whole number of places, at least 1", who)
  end
end

local ROUNDS = { floor = true, nearest = true, ceil = true }
function FIELD.band.round(ctx, b, who, line)
  if b.round ~= nil and not ROUNDS[b.round] then
    problem(ctx.problems, line_of(ctx, "round", line), "band.bad-round",
      "%s: round must be \"floor\", \"nearest\" or \"ceil\" (how fraction x size becomes places)", who)
  end
end

function FIELD.band.max_total(ctx, b, who, line)
  for _, f in ipairs({ "min_total", "max_total" }) do
    local v = b[f]
    if v ~= nil and (type(v) ~= "number" or v ~= v or mabs(v) > 1e9) then
      problem(ctx.problems, line_of(ctx, f, line), "band.field-type", "%s: %s must be a number of points", who, f)
    end
  end
  if type(b.min_total) == "number" and type(b.max_total) == "number" and b.min_total > b.max_total then
    problem(ctx.problems, line, "band.min-above-max", "%s: min_total %s is greater than max_total %s", who,
      tostring(b.min_total), tostring(b.max_total))
  end
end

function FIELD.band.award(ctx, b, who, line)
  if b.award ~= nil and type(b.award) ~= "boolean" then
    problem(ctx.problems, line_of(ctx, "award", line), "band.field-type", "%s: award must be true or false", who)
  end
end

-- a multi-year band: the unit has band `band` this year and in each of the previous years - 1 runs
function FIELD.band.band(ctx, b, who, line)
  if b.from == "history" and type(b.band) ~= "string" then
    problem(ctx.problems, line, "band.missing-band", "%s: a history band names the band it repeats (band = \"bottom20\")", who)
  elseif b.from ~= "history" and b.band ~= nil then
    problem(ctx.problems, line_of(ctx, "band", line), "band.not-for-history",
      "%s: band (the band that repeats) applies to history bands (from = \"history\")", who)
  end
end

function FIELD.band.years(ctx, b, who, line)
  if b.from == "history" and (mtype(b.years) ~= "integer" or b.years < 2) then
    problem(ctx.problems, line, "band.bad-years", "%s: years must be an integer of at least 2", who)
  elseif b.from ~= "history" and b.years ~= nil then
    problem(ctx.problems, line_of(ctx, "years", line), "band.not-for-history",
      "%s: years applies to history bands (from = \"history\")", who)
  end
end

-- The source line of `{ id = "x"` in a list, or nil.
local function line_of_id(ctx, id)
  local lines = ctx.source_lines
  if not lines or type(id) ~= "string" then return nil end
  local escaped = sgsub(id, "%W", "%%%0")
  for i, l in ipairs(lines) do
    if smatch(l, "id%s*=%s*[\"']" .. escaped .. "[\"']") then return i end
  end
  return nil
end

function FIELD.policy.bands(ctx, bands)
  local problems, out, ids = ctx.problems, array(), {}
  local declared = {}   -- id -> description, for the bands before this one
  for i, b in ipairs(bands or {}) do
    if type(b) ~= "table" or type(b.id) ~= "string" then
      problem(problems, nil, "band.missing-id", "band #%d needs an id", i)
    else
      local line = line_of_id(ctx, b.id)
      local who = sfmt("band '%s'", b.id)
      if ids[b.id] then problem(problems, line, "band.duplicate-id", "duplicate band id '%s'", b.id) end
      ids[b.id] = true
      check_fields(ctx, "band", b, who, line)
      local d = describe("band", b)
      if b.from == "history" then
        d.fraction, d.round = 0, nil
      else
        d.band, d.years = nil, nil
        if d.fraction == nil then d.fraction = 0 end
        if b.count ~= nil then d.round = nil end
      end
      if b.after ~= nil then
        local before = declared[b.after]
        if type(b.after) ~= "string" or before == nil then
          problem(problems, line_of(ctx, "after", line), "band.bad-after",
            "%s: after names '%s', which is no band declared before it", who, tostring(b.after))
        elseif before.from ~= b.from or b.from == "history" then
          problem(problems, line_of(ctx, "after", line), "band.bad-after",
            "%s: after names band '%s', which counts from the %s; a band counts on after one from the same end",
            who, b.after, tostring(before.from))
        end
      end
      declared[b.id] = d
      out[#out + 1] = d
    end
  end
  for _, b in ipairs(out) do
    if b.from == "history" and type(b.band) == "string" then
      local target = nil
      for _, o in ipairs(out) do if o.id == b.band then target = o end end
      if target == nil or target.from == "history" then
        problem(problems, line_of_id(ctx, b.id), "band.unknown-band",
          "band '%s' repeats band '%s', which is not a top or bottom band of this policy", b.id, b.band)
      end
    end
  end
  ctx.desc.bands = out
end

-- groups: units ranked and awarded separately, by a column of units
function FIELD.policy.groups(ctx, g)
  ctx.desc.groups = nil
  if g == nil then return end
  local problems = ctx.problems
  local line = line_of(ctx, "groups", nil)
  check_fields(ctx, "groups", g, "groups", line)
  if type(g.by) ~= "string" then return end
  local units
  for _, input in ipairs(ctx.desc.inputs or {}) do if input.name == S.unit_table then units = input end end
  local col
  for _, c in ipairs(units and units.columns or {}) do if c.name == g.by then col = c end end
  if col == nil then
    local known = {}
    for _, c in ipairs(units and units.columns or {}) do known[c.name] = true end
    local near = closest(g.by, known)
    problem(problems, line_of(ctx, "by", line), "groups.unknown-column",
      "groups.by names column '%s', which the units table does not declare%s", g.by,
      near and sfmt("; did you mean '%s'?", near) or "")
    return
  end
  if col.type ~= "text" and col.type ~= "enum" then
    problem(problems, line_of(ctx, "by", line), "groups.bad-column",
      "groups.by names column '%s' of type %s; a group is a text or enum column's value", g.by, col.type)
    return
  end
  local order = array()
  if g.order ~= nil then
    if type(g.order) ~= "table" or #g.order == 0 then
      problem(problems, line_of(ctx, "order", line), "groups.field-type", "groups.order must be a list of the groups' values")
      return
    end
    for k in next, g.order do
      if not (mtype(k) == "integer" and k >= 1 and k <= #g.order) then
        problem(problems, line_of(ctx, "order", line), "groups.field-type",
          "groups.order must be a list of the groups' values (it has key %s)", tostring(k))
        return
      end
    end
    local seen = {}
    for i, v in ipairs(g.order) do
      if type(v) ~= "string" then
        problem(problems, line_of(ctx, "order", line), "groups.field-type", "groups.order #%d must be a string", i)
      elseif seen[v] then
        problem(problems, line_of(ctx, "order", line), "groups.duplicate", "groups.order names '%s' twice", v)
      else
        seen[v] = true
        order[#order + 1] = v
      end
    end
    if col.type == "enum" then
      local allowed = {}
      for _, v in ipairs(col.values) do allowed[v] = true end
      for _, v in ipairs(order) do
        if not allowed[v] then
          problem(problems, line_of(ctx, "order", line), "groups.unknown-value",
            "groups.order names '%s', which column '%s' cannot hold (enum(%s))", v, g.by, tconcat(col.values, ", "))
        end
      end
      for _, v in ipairs(col.values) do
        if not seen[v] then
          problem(problems, line_of(ctx, "order", line), "groups.missing-value",
            "groups.order leaves out '%s', a value of column '%s'; list every group", v, g.by)
        end
      end
    end
  elseif col.type == "enum" then
    for _, v in ipairs(col.values) do order[#order + 1] = v end
  else
    problem(problems, line, "groups.needs-order",
      "groups.by names text column '%s': list its values in groups.order (the order the bulletin shows them), " ..
      "so a misspelt value in the data is an error, not a new group", g.by)
  end
  local in_order = {}
  for _, v in ipairs(order) do in_order[v] = true end
  local labels = array()
  if g.labels ~= nil then
    if type(g.labels) ~= "table" then
      problem(problems, line_of(ctx, "labels", line), "groups.field-type", "groups.labels must be a table { value = \"label\" }")
    else
      for k, v in pairs(g.labels) do
        if type(k) ~= "string" or type(v) ~= "string" then
          problem(problems, line_of(ctx, "labels", line), "groups.field-type", "groups.labels must map values to label strings")
        elseif not in_order[k] then
          problem(problems, line_of(ctx, k, line), "groups.unknown-value", "groups.labels names '%s', which is no group", k)
        end
      end
    end
  end
  for _, v in ipairs(order) do
    local label = type(g.labels) == "table" and g.labels[v] or nil
    labels[#labels + 1] = type(label) == "string" and label or v
  end
  ctx.desc.groups = { by = g.by, order = order, labels = labels }
end

-- total: the document's rounding of the total
local TOTAL_ROUNDINGS = { ["half-up"] = true, ["half-even"] = true }
function FIELD.policy.total(ctx, t)
  ctx.desc.total = nil
  if t == nil then return end
  local line = line_of(ctx, "total", nil)
  check_fields(ctx, "total", t, "total", line)
  if t.decimals ~= nil and (mtype(t.decimals) ~= "integer" or t.decimals < 0 or t.decimals > 6) then
    problem(ctx.problems, line_of(ctx, "decimals", line), "total.bad-decimals",
      "total.decimals must be a whole number from 0 to 6 (kaohe keeps points to six decimals)")
  end
  if t.rounding ~= nil and not TOTAL_ROUNDINGS[t.rounding] then
    problem(ctx.problems, line_of(ctx, "rounding", line), "total.bad-rounding",
      "total.rounding must be \"half-up\" (四舍五入) or \"half-even\", not '%s'", tostring(t.rounding))
  end
  ctx.desc.total = describe("total", t)
end

-- inputs
local function check_columns(ctx, name, spec)
  local problems = ctx.problems
  local tab = { name = name, columns = array() }
  -- besides the column specs 1..n, only the input's fields (a key past the list, or a hole, is unknown too)
  local named = {}
  for k, v in next, spec do
    if not (mtype(k) == "integer" and k >= 1 and k <= #spec) then named[k] = v end
  end
  unknown_fields(ctx, "input", named, sfmt("input '%s'", name), nil)
  if spec.one_row_per_unit ~= nil and type(spec.one_row_per_unit) ~= "boolean" then
    problem(problems, nil, "input.field-type", "input '%s': one_row_per_unit must be true or false", name)
  end
  tab.one_row_per_unit = spec.one_row_per_unit == true
  local seen = {}
  for i, cs in ipairs(spec) do
    if type(cs) ~= "string" then
      problem(problems, nil, "column.not-a-string", "input '%s' column #%d must be a string like \"rate: number\"", name, i)
    else
      local col, err = parse_column(cs)
      if not col then
        problem(problems, nil, "column.bad-spec", "input '%s' column \"%s\": %s", name, cs, err)
      elseif seen[col.name] then
        problem(problems, nil, "column.duplicate", "input '%s' declares column '%s' twice", name, col.name)
      else
        seen[col.name] = true
        tab.columns[#tab.columns + 1] = col
      end
    end
  end
  if not seen.unit_id then problem(problems, nil, "input.no-unit-id", "input '%s' must have a 'unit_id' column", name) end
  if name == S.unit_table then
    if not seen.name then problem(problems, nil, "input.units-no-name", "input 'units' must have a 'name' column") end
    if tab.columns[1] and tab.columns[1].name ~= "unit_id" then
      problem(problems, nil, "input.units-order", "input 'units' must list 'unit_id' first")
    end
    for _, c in ipairs(tab.columns) do
      if ctx.inputs[c.name] ~= nil then
        problem(problems, nil, "input.shadowed-table", "units column '%s' has the same name as an input table; rename one", c.name)
      end
    end
  end
  return tab
end

function FIELD.policy.inputs(ctx, inputs)
  local problems, units = ctx.problems, S.unit_table
  inputs = inputs or {}
  ctx.inputs = inputs
  local names = {}
  for name in pairs(inputs) do
    if type(name) ~= "string" or not smatch(name, "^[%a_][%w_]*$") then
      problem(problems, nil, "input.bad-name", "input table name '%s' must be an identifier", tostring(name))
    else
      names[#names + 1] = name
    end
  end
  tsort(names, function(a, b)
    if a == units then return b ~= units end
    if b == units then return false end
    return a < b
  end)
  if inputs[units] == nil then problem(problems, nil, "input.no-units", "inputs must declare a 'units' table (one row per assessed unit)") end
  local out = array()
  for _, name in ipairs(names) do
    local spec = inputs[name]
    if type(spec) ~= "table" then
      problem(problems, nil, "input.not-a-list", "input '%s' must be a list of column specs like \"rate: number\"", name)
      out[#out + 1] = { name = name, columns = array() }
    else
      out[#out + 1] = check_columns(ctx, name, spec)
    end
  end
  ctx.desc.inputs = out
end

-- self-check (a county's own scores per row, reconciled with the verified ones by the host)
function FIELD.policy.selfcheck(ctx, sc, f)
  local problems = ctx.problems
  ctx.desc.selfcheck = nil
  if sc == nil then return end
  if type(sc.table) ~= "string" then problem(problems, nil, "policy.field-type", f.message) return end
  unknown_fields(ctx, "selfcheck", sc, "selfcheck", nil)
  if type(ctx.inputs[sc.table]) ~= "table" then
    problem(problems, nil, "selfcheck.unknown-table", "selfcheck names table '%s', which is not an input", sc.table)
    return
  end
  local cols = {}
  for _, c in ipairs(ctx.inputs[sc.table]) do
    local parsed = type(c) == "string" and parse_column(c) or nil
    if parsed then cols[parsed.name] = true end
  end
  for _, cf in ipairs(S.selfcheck) do
    local v = sc[cf.name]
    if cf.column and v ~= nil and not cols[v] then
      problem(problems, nil, "selfcheck.unknown-column", "selfcheck.%s names column '%s', which table '%s' does not declare",
        cf.name, tostring(v), sc.table)
    end
  end
  ctx.desc.selfcheck = describe("selfcheck", sc)
end

-- sections
FIELD.section.max = min_above_max("section")

function FIELD.policy.sections(ctx, sections)
  local problems, out, ids = ctx.problems, array(), {}
  for i, s in ipairs(sections or {}) do
    if type(s) ~= "table" or type(s.id) ~= "string" then
      problem(problems, nil, "section.missing-id", "section #%d needs an id", i)
    else
      if ids[s.id] then problem(problems, nil, "section.duplicate-id", "duplicate section id '%s'", s.id) end
      ids[s.id] = true
      check_fields(ctx, "section", s, sfmt("section '%s'", s.id), nil)
      out[#out + 1] = describe("section", s)
    end
  end
  ctx.section_ids = ids
  ctx.desc.sections = out
end

-- rules
FIELD.rule.max = min_above_max("rule")

function FIELD.rule.section(ctx, r, who, line)
  if r.section ~= nil and not ctx.section_ids[r.section] then
    problem(ctx.problems, line, "rule.unknown-section", "%s names section '%s', which is not declared", who, tostring(r.section))
  end
end

local function check_rule(ctx, i, r, ids)
  local info = type(r.score) == "function" and dbg_getinfo(r.score, "S") or nil
  local line = info and info.linedefined or nil
  local id = r.id
  if type(id) ~= "string" or not smatch(id, ID) then
    problem(ctx.problems, line, "rule.bad-id", "rule #%d needs an id made of letters, digits, '.', '_' or '-'", i)
    id = "#" .. i
  elseif ids[id] then
    problem(ctx.problems, line, "rule.duplicate-id", "duplicate rule id '%s'", id)
  end
  ids[id] = true
  check_fields(ctx, "rule", r, sfmt("rule '%s'", id), line)
  ctx.fns[i] = r.score
  ctx.params[i] = r.params or {}
  local d = describe("rule", r, id)
  d.line, d.last_line, d.index = line, info and info.lastlinedefined or nil, i - 1
  ctx.desc.rules[i] = d
end

function FIELD.policy.rules(ctx, rules)
  local problems = ctx.problems
  rules = rules or {}
  ctx.desc.rules = array()
  if #rules == 0 then problem(problems, nil, "policy.no-rules", "the policy has no rules") end
  -- the host keeps a line item per unit and rule: a policy generating rules by the million would exhaust
  -- its memory (no published table has more than a few dozen rows)
  if #rules > S.max_rules then
    problem(problems, nil, "policy.too-many-rules", "the policy has %d rules; a policy has at most %d", #rules, S.max_rules)
    return
  end
  local ids = {}
  for i, r in ipairs(rules) do
    if type(r) ~= "table" then
      problem(problems, nil, "rule.not-a-table", "rule #%d must be a table", i)
    else
      check_rule(ctx, i, r, ids)
    end
  end
end

-- vetoes (一票否决): when(u, p, shared) -> vetoed, note; run with the rules, after them
function FIELD.policy.vetoes(ctx, vetoes)
  local problems, out, ids = ctx.problems, array(), {}
  ctx.veto_fns, ctx.veto_params = {}, {}
  -- like rules, each veto is a column the host keeps per unit
  if vetoes ~= nil and #vetoes > S.max_rules then
    problem(problems, line_of(ctx, "vetoes", nil), "policy.too-many-vetoes", "the policy has %d vetoes; a policy has at most %d",
      #vetoes, S.max_rules)
    ctx.desc.vetoes = out
    return
  end
  for i, v in ipairs(vetoes or {}) do
    if type(v) ~= "table" or type(v.id) ~= "string" or not smatch(v.id, ID) then
      local id = type(v) == "table" and v.id or nil
      problem(problems, line_of_id(ctx, id) or line_of(ctx, "vetoes", nil), "veto.bad-id",
        "veto #%d needs an id made of letters, digits, '.', '_' or '-'", i)
    else
      local info = type(v.when) == "function" and dbg_getinfo(v.when, "S") or nil
      local line = info and info.linedefined or line_of_id(ctx, v.id)
      if ids[v.id] then problem(problems, line, "veto.duplicate-id", "duplicate veto id '%s'", v.id) end
      ids[v.id] = true
      check_fields(ctx, "veto", v, sfmt("veto '%s'", v.id), line)
      local d = describe("veto", v)
      d.line, d.last_line = info and info.linedefined or nil, info and info.lastlinedefined or nil
      out[#out + 1] = d
      ctx.veto_fns[#out] = v.when
      ctx.veto_params[#out] = v.params or {}
    end
  end
  if vetoes ~= nil and #vetoes == 0 and next(vetoes) ~= nil then
    problem(problems, line_of(ctx, "vetoes", nil), "policy.field-type",
      "policy field 'vetoes' must be a list of vetoes { id = \"...\", title = \"...\", when = function(u, p) ... end }")
  end
  ctx.desc.vetoes = out
end

-- tie_break: rule or section ids, compared in turn when totals are equal
function FIELD.policy.tie_break(ctx, keys)
  local problems, out, seen = ctx.problems, array(), {}
  local rule_ids = {}
  for _, r in ipairs(ctx.desc.rules or {}) do rule_ids[r.id] = true end
  for i, id in ipairs(keys or {}) do
    if type(id) ~= "string" then
      problem(problems, line_of(ctx, "tie_break", nil), "policy.tie-break", "tie_break #%d must be a rule or section id (a string)", i)
    elseif seen[id] then
      problem(problems, line_of(ctx, "tie_break", nil), "policy.tie-break", "tie_break names '%s' twice", id)
    elseif rule_ids[id] and ctx.section_ids[id] then
      problem(problems, line_of(ctx, "tie_break", nil), "policy.tie-break",
        "tie_break '%s' is both a rule and a section id; rename one", id)
    elseif rule_ids[id] then
      out[#out + 1] = { id = id, kind = "rule" }
    elseif ctx.section_ids[id] then
      out[#out + 1] = { id = id, kind = "section" }
    else
      local known = {}
      for k in next, rule_ids do known[k] = true end
      for k in next, ctx.section_ids do known[k] = true end
      local near = closest(id, known)
      problem(problems, line_of(ctx, "tie_break", nil), "policy.tie-break", "tie_break names '%s', which is no rule or section%s",
        id, near and sfmt("; did you mean '%s'?", near) or "")
    end
    seen[id] = true
  end
  if keys ~= nil and #keys == 0 and next(keys) ~= nil then
    problem(problems, line_of(ctx, "tie_break", nil), "policy.field-type",
      "policy field 'tie_break' must be a list of rule or section ids, e.g. { \"basic\", \"foundation\" }")
  end
  ctx.desc.tie_break = out
end

-- A policy field's value: nil when absent or of the wrong type (each a problem when it matters), then the default.
local function policy_value(problems, f, v)
  if v == nil then
    if f.required then problem(problems, nil, "policy.missing-field", "policy field '%s' is missing", f.name) end
  elseif f.checked and not has_type(f, v) then
    if f.message then
      problem(problems, nil, "policy.field-type", f.message)
    else
      problem(problems, nil, "policy.field-type", "policy field '%s' must be a %s, not a %s", f.name, f.type, type(v))
    end
    v = nil
  end
  if v == nil then v = fresh(f.default) end
  return v
end

-- check_policy(pol, src) -> desc, nil, fns, params  |  nil, problems (src: the policy's text, for lines)
local function check_policy(pol, src)
  local problems = {}
  if type(pol) ~= "table" then
    problem(problems, nil, "policy.not-a-table", "the policy file must end with `return { ... }` (a table); it returned %s", type(pol))
    return nil, problems
  end
  local ctx = { problems = problems, desc = { unit_table = S.unit_table }, inputs = {}, section_ids = {}, fns = {},
    params = {}, source_lines = nil }
  if type(src) == "string" then
    local lines = {}
    for l in gmatch(src .. "\n", "(.-)\r?\n") do lines[#lines + 1] = l end
    ctx.source_lines = lines
  end
  unknown_fields(ctx, "policy", pol, "the policy", nil)
  for _, f in ipairs(S.policy) do
    local v = policy_value(problems, f, pol[f.name])
    ctx.desc[f.name] = v
    local check = FIELD.policy[f.name]
    if check then check(ctx, v, f) end
  end
  if #problems > 0 then return nil, problems end
  -- the policy's own params, which every rule gets as its third argument (params[0]; the rules' are 1..n,
  -- then the vetoes' n+1..n+m, whose functions follow the rules' in fns)
  ctx.params[0] = ctx.desc.params
  local nr = #ctx.desc.rules
  for j, fn in ipairs(ctx.veto_fns) do
    ctx.fns[nr + j] = fn
    ctx.params[nr + j] = ctx.veto_params[j]
  end
  return ctx.desc, nil, ctx.fns, ctx.params
end

K.check_policy = check_policy
K.format_problems = format_problems
