-- kaohe prelude: the policy schema, defined once. check.lua validates a policy against it and builds from
-- it the description handed to the host (Policy.Description in Swift); policies/README.md documents it.
--
-- A kind is an ordered list of fields; problems are reported in this order. A field:
--   name      the key in the policy table
--   type      a Lua type ("string", "number", "table", "function"), or a list of them
--   checked   true: its type and presence are checked from here (check.lua's `fields`); otherwise only
--             check.lua's function for the field (if any) looks at it, and the type is what the docs promise
--   required  true: a policy without it is refused
--   default   the value described when the field is absent ({}: a fresh empty table); default_field: the
--             value of that field instead (a section's title defaults to its id)
--   key       true: identifies the object (its id); checked by the kind's function, which names the object
--             in later messages by it
--   need      for a required field of a rule: the words of "rule 'x' needs a title"
--   message   the problem text when the value has the wrong type, instead of the kind's usual one
--   column    true (self-check): names a column of the self-check table
--   described false: not part of the description
--   doc       one line for the docs
-- A new policy field: one entry here, its Swift field in Policy.Description if the host reads it, its docs
-- (policies/README.md) and a CHANGELOG line; a check beyond type and presence goes in check.lua.
local K = ...

local S = {}

S.policy = {
  { name = "id", type = "string", checked = true, required = true,
    doc = "the policy's id: letters, digits, '.', '_' and '-'" },
  { name = "title", type = "string", checked = true, required = true, doc = "the assessment's title" },
  { name = "year", type = "number", checked = true, required = true, doc = "the year assessed (an integer)" },
  { name = "jurisdiction", type = "string", checked = true,
    doc = "who assesses (policies of one jurisdiction form a history)" },
  { name = "language", type = "string", checked = true, default = "zh",
    doc = "\"zh\" or \"en\": the language of reports" },
  { name = "source", type = { "string", "table" }, checked = true,
    message = "policy field 'source' must be a string or a table",
    doc = "the document implemented: its title, or a source table" },
  { name = "base", type = "number", checked = true, default = 0, doc = "the score every unit starts from" },
  { name = "ranking", type = "string", default = "competition",
    doc = "\"competition\" (1224) or \"dense\" (1223, 中国式排名)" },
  { name = "parent", type = "table", checked = true,
    message = "policy field 'parent' must be a table { id = \"...\", sha256 = \"...\" }",
    doc = "the policy this one was derived from (kaohe new): a parent table" },
  { name = "bands", type = "table", checked = true, doc = "a list of bands (top/bottom fractions or counts, history)" },
  { name = "inputs", type = "table", checked = true, required = true,
    doc = "the data tables: name = a list of column specs \"name: type\"" },
  -- after inputs: it names a units column
  { name = "groups", type = "table", checked = true,
    message = "policy field 'groups' must be a table { by = \"kind\", order = { ... }, labels = { ... } }",
    doc = "units ranked and awarded separately, by a column of units: a groups table" },
  { name = "selfcheck", type = "table", checked = true,
    message = "policy field 'selfcheck' must be { table = \"...\", indicator = \"...\", score = \"...\", " ..
      "completed = \"...\", reason = \"...\" }",
    doc = "where the units' own scores are: a selfcheck table" },
  { name = "params", type = "table", checked = true, default = {}, message = "policy field 'params' must be a table",
    doc = "values shared by several rules" },
  { name = "sections", type = "table", checked = true, doc = "a list of sections (groups of rules with a common cap)" },
  { name = "rules", type = "table", checked = true, required = true, doc = "a list of rules, in report order" },
  { name = "vetoes", type = "table", checked = true, doc = "a list of vetoes (一票否决): a vetoed unit holds no award band" },
  { name = "total", type = "table", checked = true,
    message = "policy field 'total' must be a table { decimals = 2, rounding = \"half-up\" }",
    doc = "how the document rounds the total: a total table" },
  -- after rules and sections: it names them
  { name = "tie_break", type = "table", checked = true, default = {},
    message = "policy field 'tie_break' must be a list of rule or section ids, e.g. { \"basic\", \"foundation\" }",
    doc = "rule or section ids whose points order units with equal totals, in turn" },
}

S.source = {
  { name = "title", type = "string", doc = "the document's title" },
  { name = "issued", type = "string", doc = "when it was issued (2023-11-14)" },
  { name = "file", type = "string", doc = "the file of its text" },
  { name = "url", type = "string", doc = "where it is published" },
}

S.parent = {
  { name = "id", type = "string", required = true, doc = "the parent policy's id" },
  { name = "sha256", type = "string", doc = "the parent file's SHA-256" },
  { name = "file", type = "string", doc = "the parent file" },
}

S.band = {
  { name = "id", type = "string", key = true, required = true, doc = "unique among bands" },
  { name = "label", type = "string", default_field = "id", doc = "the name reports show" },
  { name = "from", type = "string", required = true, doc = "\"top\", \"bottom\" or \"history\"" },
  { name = "fraction", type = "number", doc = "top and bottom bands: the share of the group's units, in (0, 1]" },
  { name = "count", type = "number", doc = "top and bottom bands instead of a fraction: how many places (名额)" },
  { name = "after", type = "string", doc = "start counting after the places an earlier band of the same end takes (其后)" },
  { name = "at_least", type = "number", doc = "fraction bands: the fewest places, however small the group" },
  { name = "round", type = "string", default = "floor",
    doc = "fraction bands: how fraction x size becomes places: \"floor\", \"nearest\" (half up) or \"ceil\"" },
  { name = "min_total", type = "number", doc = "a score line: only units with at least this total hold the band" },
  { name = "max_total", type = "number", doc = "a score line: only units with at most this total hold the band" },
  { name = "award", type = "boolean", default = false, doc = "true: an award, which a vetoed unit cannot hold" },
  { name = "band", type = "string", doc = "history bands: the band that must repeat" },
  { name = "years", type = "number", doc = "history bands: over how many consecutive years (at least 2)" },
  { name = "meaning", type = "string", doc = "what being in the band entails" },
}

S.groups = {
  { name = "by", type = "string", checked = true, required = true, need = "a units column: by = \"kind\"", doc = "the units column (text or enum) whose value is a unit's group" },
  { name = "order", type = "table", doc = "the groups' values in report order (an enum column: its values' order)" },
  { name = "labels", type = "table", doc = "value = label: the name reports show for a group" },
}

S.veto = {
  { name = "id", type = "string", key = true, required = true, doc = "unique among vetoes" },
  { name = "title", type = "string", checked = true, required = true, need = "a title", default_field = "id",
    doc = "what it vetoes for" },
  { name = "citation", type = "string", checked = true, default = "", doc = "the article it implements" },
  { name = "when", type = "function", checked = true, required = true, need = "a when function", described = false,
    doc = "when(u, p, shared) -> true (vetoed) or false, note" },
  { name = "params", type = "table", checked = true, default = {}, doc = "the veto's numbers (p)" },
}

S.total = {
  { name = "decimals", type = "number", checked = true, required = true, need = "decimals = places (0 to 6)", doc = "the places the document states totals to (0 to 6)" },
  { name = "rounding", type = "string", default = "half-up",
    doc = "\"half-up\" (四舍五入: halves away from zero) or \"half-even\"" },
}

-- inputs: name = { "column: type", ..., one_row_per_unit = true }: a list of column specs, and these fields.
S.input = {
  { name = "one_row_per_unit", type = "boolean",
    doc = "each unit has exactly one row in this table: a missing or second row is a data error" },
}

-- a column spec parses to a column.
S.column = {
  { name = "name", type = "string", doc = "an identifier" },
  { name = "type", type = "string", doc = "text, integer, number, percent, flag or enum(a, b, ...)" },
  { name = "optional", type = "boolean", doc = "a trailing '?': the cell may be empty" },
  { name = "values", type = "table", doc = "enum columns: the values allowed" },
}
S.column_types = { "text", "integer", "number", "percent", "flag" }   -- and enum(...)
S.unit_table = "units"   -- the input with one row per assessed unit

S.selfcheck = {
  { name = "table", type = "string", required = true, doc = "the input that holds the self-check rows" },
  { name = "indicator", type = "string", column = true, doc = "the column naming the rule (indicator) of a row" },
  { name = "score", type = "string", column = true, doc = "the column of the unit's own score" },
  { name = "completed", type = "string", column = true, doc = "the column of 完成情况" },
  { name = "reason", type = "string", column = true, doc = "the column of 未完成情况说明" },
}

S.section = {
  { name = "id", type = "string", key = true, required = true, doc = "unique among sections" },
  { name = "title", type = "string", default_field = "id", doc = "the name reports show" },
  { name = "citation", type = "string", doc = "the article the section implements" },
  { name = "min", type = "number", checked = true, doc = "the least the section's rules add up to" },
  { name = "max", type = "number", checked = true, doc = "the most the section's rules add up to" },
}

S.rule = {
  { name = "id", type = "string", key = true, required = true, doc = "unique; letters, digits, '.', '_' and '-'" },
  { name = "title", type = "string", checked = true, required = true, need = "a title", default_field = "id",
    doc = "what it scores" },
  { name = "citation", type = "string", checked = true, default = "", doc = "the article or row it implements" },
  { name = "score", type = "function", checked = true, required = true, need = "a score function", described = false,
    doc = "score(u, p) -> points, note" },
  { name = "min", type = "number", checked = true, doc = "cap: the least points" },
  { name = "max", type = "number", checked = true, doc = "cap: the most points" },
  { name = "section", type = "string", doc = "a declared section" },
  { name = "params", type = "table", checked = true, default = {}, doc = "the rule's numbers (p)" },
  { name = "range", type = "table", doc = "{ lo, hi }: the possible points when there is no cap (documentation)" },
}
S.max_rules = 1000   -- the host keeps a line item per unit and rule

K.schema = S
