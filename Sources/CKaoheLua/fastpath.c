/*
 * fastpath.c — helpers that scan one unit's rows in C.
 *
 * count, count_by, sum and tier_sum take a list of a unit's rows and an optional filter written as a table
 * (`{ kind = "observation", level = { "city", "province" }, volunteers = { min = 6, max = 15 } }`). The
 * filter is compiled once per call into conditions on columns, then every row is tested straight from
 * the column store: no Lua call and no field lookup per row. The prelude falls back to Lua for filters
 * written as functions and for plain Lua arrays; both paths give the same results (tests check it).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sandbox_internal.h"

#include <stdarg.h>
#include <stdio.h>

#define MAX_CONDS 16
#define MAX_VALUES 16
#define MAX_TIERS 32

static void points_text(char *text, size_t size, int isint, lua_Integer i, double x);

enum { OP_EQ, OP_RANGE, OP_EXISTS };

typedef struct value {
    int is_text;
    double num;          /* numbers, and flags as 0/1 */
    const char *text;
    size_t len;
} value;

typedef struct cond {
    int col;
    int op;
    int nvalues;         /* OP_EQ: any of these */
    value values[MAX_VALUES];
    double bound[4];     /* OP_RANGE: min, above, max, below (each may be given: all must hold) */
    int has_bound[4];
    int exists;          /* OP_EXISTS: 1 = must have a value, 0 = must be empty */
} cond;

typedef struct filter {
    int t;
    int n;
    cond conds[MAX_CONDS];
} filter;

/* Pushes the location of the policy line that called the helper: the first Lua function on the stack that
   is not the prelude (helpers are called through prelude wrappers); "" when a rule tail-called the helper and
   has left the stack (the host names the rule instead). */
static void push_caller_where(lua_State *L) {
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 && strcmp(ar.source, "=kaohe/prelude") != 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    }
    lua_pushliteral(L, "");
}

/* Pushes the located message: the calling policy line, then fmt with its arguments. */
static void push_located(lua_State *L, const char *fmt, va_list ap) {
    push_caller_where(L);
    lua_pushvfstring(L, fmt, ap);
    lua_concat(L, 2);
}

/* Raises an error located at the policy line that called the helper. */
static int fp_error(lua_State *L, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    push_located(L, fmt, ap);
    va_end(ap);
    return lua_error(L);
}

/* fp_error with a stable code (see kh_raise_coded). */
static int fp_error_coded(lua_State *L, kh_sandbox *sb, const char *code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    push_located(L, fmt, ap);
    va_end(ap);
    return kh_raise_coded(L, sb, code);
}

static int column_index(lua_State *L, kh_sandbox *sb, int t, int key_idx, const char *helper) {
    const kh_table *tab = &sb->ds->tables[t];
    if (lua_type(L, key_idx) != LUA_TSTRING)
        return fp_error(L, "%s: filter keys must be column names of '%s'", helper, tab->name);
    const char *k = lua_tostring(L, key_idx);
    for (int c = 0; c < tab->ncols; c++)
        if (strcmp(tab->cols[c].name, k) == 0) return c;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    kh_add_column_names(&b, tab);
    luaL_pushresult(&b);
    return fp_error_coded(L, sb, "data.unknown-column", "%s: table '%s' has no column '%s' (it has: %s)", helper, tab->name, k,
                          lua_tostring(L, -1));
}

/* Reads one scalar filter value (at the top of the stack) for column `col`. A text value points into the
   string, which stays anchored for as long as the filter is used: it is a value of a table that
   compile_filter keeps on the stack (a plain table no code can change while the helper runs, or the
   shadow of a read-only one). */
static void read_value(lua_State *L, const kh_column *col, value *v, const char *helper) {
    int type = lua_type(L, -1);
    memset(v, 0, sizeof *v);
    if (col->type == KH_COL_TEXT) {
        if (type != LUA_TSTRING)
            fp_error(L, "%s: column '%s' holds text; compare it with a string, not a %s", helper, col->name,
                       lua_typename(L, type));
        v->is_text = 1;
        v->text = lua_tolstring(L, -1, &v->len);
    } else if (col->type == KH_COL_FLAG) {
        if (type != LUA_TBOOLEAN)
            fp_error(L, "%s: column '%s' is a flag; compare it with true or false", helper, col->name);
        v->num = lua_toboolean(L, -1) ? 1 : 0;
    } else {
        if (type != LUA_TNUMBER)
            fp_error(L, "%s: column '%s' holds numbers; compare it with a number, not a %s", helper, col->name,
                       lua_typename(L, type));
        v->num = lua_tonumber(L, -1);
    }
}

/* Pushes the plain table to read for the filter or condition at idx: the table itself when it has no
   metatable, the contents of a read-only policy table (params, tables at the top of the file). A table
   with a metatable of its own is refused: its __pairs or __index could run code while the filter is read
   (and hand out tables nothing anchors), and the Lua path would read it differently. The pushed table
   stays on the stack while the filter is used. */
static void push_plain(lua_State *L, int idx, const char *helper, const char *what) {
    if (!kh_see_through(L, idx))                       /* stack: ... t */
        fp_error(L, "%s: the %s is a table with a metatable; a filter must be a plain table of conditions "
                    "(column = value, list, or { min/max/above/below/exists })", helper, what);
}

/* Compiles the condition at the top of the stack (stack: ... value) on column c; a table condition's plain
   table is left on the stack (stack: ... value spec). */
static void compile_condition(lua_State *L, kh_sandbox *sb, filter *f, int c_index, const char *helper) {
    cond *c = &f->conds[f->n];
    memset(c, 0, sizeof *c);
    c->col = c_index;
    const kh_column *col = &sb->ds->tables[f->t].cols[c->col];
    if (lua_type(L, -1) != LUA_TTABLE) {
        c->op = OP_EQ;
        c->nvalues = 1;
        read_value(L, col, &c->values[0], helper);
        f->n++;
        return;
    }
    push_plain(L, -1, helper, "condition");            /* stack: ... value spec */
    int spec = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, spec);
    if (n > 0) {                                        /* a list of accepted values */
        if (n > MAX_VALUES) fp_error(L, "%s: at most %d values in a list", helper, MAX_VALUES);
        c->op = OP_EQ;
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, spec, i);                    /* stack: ... value spec v */
            read_value(L, col, &c->values[c->nvalues++], helper);
            lua_pop(L, 1);                              /* stack: ... value spec */
        }
        f->n++;
        return;
    }
    int any = 0;
    lua_pushliteral(L, "exists");
    if (lua_rawget(L, spec) != LUA_TNIL) {              /* stack: ... value spec exists */
        c->op = OP_EXISTS;
        c->exists = lua_toboolean(L, -1);
        any = 1;
    }
    lua_pop(L, 1);                                      /* stack: ... value spec */
    static const char *bounds[] = { "min", "above", "max", "below" };
    for (int b = 0; b < 4; b++) {
        lua_pushstring(L, bounds[b]);
        int type = lua_rawget(L, spec);                 /* stack: ... value spec bound */
        if (type != LUA_TNIL) {
            if (type != LUA_TNUMBER) fp_error(L, "%s: '%s' must be a number", helper, bounds[b]);
            if (col->type == KH_COL_TEXT || col->type == KH_COL_FLAG)
                fp_error(L, "%s: column '%s' does not hold numbers; '%s' needs a number column", helper,
                           col->name, bounds[b]);
            if (any && c->op == OP_EXISTS) fp_error(L, "%s: use either exists or a range for '%s'", helper, col->name);
            c->op = OP_RANGE;
            any = 1;
            c->has_bound[b] = 1;
            c->bound[b] = lua_tonumber(L, -1);
        }
        lua_pop(L, 1);                                  /* stack: ... value spec */
    }
    if (!any)
        fp_error(L, "%s: the condition on '%s' must be a value, a list of values, or a table with "
                   "min/max/above/below or exists", helper, col->name);
    f->n++;
}

/* Compiles the filter at stack index idx (nil = every row) for rows of table t. Conditions are read in the
   order of the table's columns, not in the raw order of the filter (which depends on Lua's per-state hash
   seed), so errors and tracing are the same on every run. Leaves on the stack the plain tables the
   compiled filter points into; the caller keeps them there until it has scanned the rows. */
static void compile_filter(lua_State *L, kh_sandbox *sb, int idx, int t, filter *f, const char *helper) {
    f->t = t;
    f->n = 0;
    if (lua_isnoneornil(L, idx)) return;
    luaL_checktype(L, idx, LUA_TTABLE);
    if (!lua_checkstack(L, 2 * MAX_CONDS + 8)) luaL_error(L, "%s: stack overflow", helper);
    push_plain(L, idx, helper, "filter");               /* stack: ... spec */
    int spec = lua_gettop(L);
    const kh_table *tab = &sb->ds->tables[t];
    int cols[MAX_CONDS];
    int n = 0, keys = 0, non_string = 0;
    const char *unknown = NULL;                         /* the first unknown column name, in byte order */
    lua_pushnil(L);
    while (lua_next(L, spec)) {                         /* stack: ... spec key value */
        lua_pop(L, 1);                                  /* stack: ... spec key */
        keys++;
        if (lua_type(L, -1) != LUA_TSTRING) { non_string = 1; continue; }
        const char *k = lua_tostring(L, -1);            /* anchored: a key of spec */
        int c = 0;
        /* column names are interned short strings (dataview.c): the key's pointer finds the column without
           comparing bytes; strcmp only for a key that is no column (or a long string) */
        const char **names = sb->colnames ? sb->colnames[t] : NULL;
        if (names) while (c < tab->ncols && names[c] != k) c++;
        if (!names || c == tab->ncols) {
            c = 0;
            while (c < tab->ncols && strcmp(tab->cols[c].name, k) != 0) c++;
        }
        if (c == tab->ncols) {
            if (unknown == NULL || strcmp(k, unknown) < 0) unknown = k;
        } else if (n < MAX_CONDS) {
            cols[n++] = c;
        }
    }
    if (non_string) fp_error(L, "%s: filter keys must be column names of '%s'", helper, tab->name);
    if (keys > MAX_CONDS) fp_error(L, "%s: at most %d conditions in a filter", helper, MAX_CONDS);
    if (unknown != NULL) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        kh_add_column_names(&b, tab);
        luaL_pushresult(&b);
        fp_error_coded(L, sb, "data.unknown-column", "%s: table '%s' has no column '%s' (it has: %s)", helper, tab->name,
                       unknown, lua_tostring(L, -1));
    }
    for (int i = 1; i < n; i++) {                        /* columns in declared order */
        int c = cols[i], j = i - 1;
        while (j >= 0 && cols[j] > c) { cols[j + 1] = cols[j]; j--; }
        cols[j + 1] = c;
    }
    for (int i = 0; i < n; i++) {
        lua_pushstring(L, tab->cols[cols[i]].name);
        lua_rawget(L, spec);                            /* stack: ... spec value */
        compile_condition(L, sb, f, cols[i], helper);   /* stack: ... spec value [cond spec] */
    }
}

static int matches(kh_sandbox *sb, const filter *f, int64_t row) {
    const kh_table *tab = &sb->ds->tables[f->t];
    for (int i = 0; i < f->n; i++) {
        const cond *c = &f->conds[i];
        const kh_column *col = &tab->cols[c->col];
        int empty;
        double num = 0;
        const uint8_t *text = NULL;
        size_t len = 0;
        if (col->type == KH_COL_TEXT) {
            int32_t code = col->text[row];
            empty = code < 0;
            if (!empty) {
                text = col->pool + col->pool_offsets[code];
                len = (size_t)(col->pool_offsets[code + 1] - col->pool_offsets[code]);
            }
        } else {
            num = col->num[row];
            empty = isnan(num);
            if (col->type == KH_COL_FLAG && !empty) num = num != 0;
        }
        switch (c->op) {
        case OP_EXISTS:
            if (empty == c->exists) return 0;
            break;
        case OP_RANGE:
            if (empty) return 0;
            if (c->has_bound[0] && !(num >= c->bound[0])) return 0;
            if (c->has_bound[1] && !(num > c->bound[1])) return 0;
            if (c->has_bound[2] && !(num <= c->bound[2])) return 0;
            if (c->has_bound[3] && !(num < c->bound[3])) return 0;
            break;
        default: {
            if (empty) return 0;
            int hit = 0;
            for (int k = 0; k < c->nvalues && !hit; k++) {
                const value *v = &c->values[k];
                hit = v->is_text ? (v->len == len && memcmp(v->text, text, len) == 0) : v->num == num;
            }
            if (!hit) return 0;
        }
        }
    }
    /* tracing (explain) records the cells of rows that matched, not of every row scanned */
    if (sb->trace)
        for (int i = 0; i < f->n; i++) kh_record_access(sb, f->t, row, f->conds[i].col);
    return 1;
}

/* The list argument: table index and the rows [a, b). */
static decoded list_arg(lua_State *L, int idx, int64_t *a, int64_t *b, const char *helper) {
    decoded d = kh_decode(L, idx);
    if (d.kind != KIND_LIST) fp_error(L, "%s: expected a list of rows, got a %s", helper, kh_kind_name(d.kind));
    const kh_table *tab = &kh_sb(L)->ds->tables[d.table];
    *a = tab->unit_start[d.index];
    *b = tab->unit_start[d.index + 1];
    return d;
}

static int column_arg(lua_State *L, kh_sandbox *sb, int t, int idx, const char *helper) {
    luaL_checktype(L, idx, LUA_TSTRING);
    return column_index(L, sb, t, idx, helper);
}

/* Number of a numeric column cell (NaN when empty); records the read when tracing. */
static double number_cell(kh_sandbox *sb, int t, int64_t row, int c) {
    const kh_column *col = &sb->ds->tables[t].cols[c];
    if (sb->trace) kh_record_access(sb, t, row, c);
    double v = col->num[row];
    if (col->type == KH_COL_FLAG && !isnan(v)) v = v != 0;
    return v;
}

/* The number of rows of list (argument 1) that filter (argument 2) keeps. */
static lua_Integer count_rows(lua_State *L, const char *helper) {
    kh_sandbox *sb = kh_sb(L);
    int64_t a, b;
    decoded d = list_arg(L, 1, &a, &b, helper);
    filter f;
    lua_settop(L, 2);
    compile_filter(L, sb, 2, d.table, &f, helper);     /* stack: list filter [its tables] */
    if (f.n == 0) return b - a;
    lua_Integer n = 0;
    for (int64_t r = a; r < b; r++) n += matches(sb, &f, r);   /* every row: tracing records all it used */
    return n;
}

/* count(list, filter) -> integer */
static int fast_count(lua_State *L) {
    lua_Integer n = count_rows(L, "count");
    lua_pushinteger(L, n);
    return 1;
}

/* any(list, filter) -> boolean */
static int fast_any(lua_State *L) {
    int hit = count_rows(L, "any") > 0;
    lua_pushboolean(L, hit);
    return 1;
}

/* filter(list, filter) -> array of the matching rows */
static int fast_filter(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    int64_t a, b;
    decoded d = list_arg(L, 1, &a, &b, "filter");
    filter f;
    lua_settop(L, 2);
    compile_filter(L, sb, 2, d.table, &f, "filter");   /* stack: list filter [its tables] */
    lua_createtable(L, 8, 0);                           /* stack: ... out */
    lua_Integer n = 0;
    for (int64_t r = a; r < b; r++) {
        if (f.n && !matches(sb, &f, r)) continue;
        lua_pushlightuserdata(L, encode(KIND_ROW, d.table, r));
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

/* count_by(list, column, filter) -> { value = count } */
static int fast_count_by(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    int64_t a, b;
    decoded d = list_arg(L, 1, &a, &b, "count_by");
    int key = column_arg(L, sb, d.table, 2, "count_by");
    filter f;
    lua_settop(L, 3);
    compile_filter(L, sb, 3, d.table, &f, "count_by"); /* stack: list column filter [its tables] */
    lua_createtable(L, 0, 16);                          /* stack: ... out */
    int out = lua_gettop(L);
    for (int64_t r = a; r < b; r++) {
        if (f.n && !matches(sb, &f, r)) continue;
        kh_push_cell(L, sb, d.table, r, key);           /* stack: ... out k */
        if (lua_isnil(L, -1)) { lua_pop(L, 1); continue; }
        lua_pushvalue(L, -1);
        lua_rawget(L, out);                             /* stack: ... out k n */
        lua_Integer n = lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_pushinteger(L, n + 1);
        lua_rawset(L, out);                             /* stack: ... out */
    }
    return 1;
}

/* sum(list, column, filter) -> number (empty cells count as 0) */
static int fast_sum(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    int64_t a, b;
    decoded d = list_arg(L, 1, &a, &b, "sum");
    int c = column_arg(L, sb, d.table, 2, "sum");
    const kh_column *col = &sb->ds->tables[d.table].cols[c];
    if (col->type == KH_COL_TEXT) return fp_error(L, "sum: column '%s' holds text", col->name);
    filter f;
    lua_settop(L, 3);
    compile_filter(L, sb, 3, d.table, &f, "sum");      /* stack: list column filter [its tables] */
    double s = 0;
    int all_int = col->type != KH_COL_NUMBER;
    for (int64_t r = a; r < b; r++) {
        if (f.n && !matches(sb, &f, r)) continue;
        double v = number_cell(sb, d.table, r, c);
        if (!isnan(v)) s += v;
    }
    if (all_int && fabs(s) < 9007199254740992.0) lua_pushinteger(L, (lua_Integer)s);
    else lua_pushnumber(L, s);
    return 1;
}

/* Pushes the note tier_sum's tally would make for these row counts (stack: ... tiers at 3, prefix at
   `prefix`): each used tier's label (prefix .. label, or "tier i"), tiers of equal labels added up, in order,
   as "label points" or "label ×rows points" joined by "；". Returns 0 (pushing nothing) where the prelude must
   build it (explain's recording views, a label or prefix that is not a string, points that are not small
   integers), which it does with the same tally. */
static int tier_note(lua_State *L, kh_sandbox *sb, lua_Integer nt, const int64_t *counts, const double *points,
                     const int *whole_points, int prefix) {
    if (sb->trace) return 0;
    int ptype = lua_type(L, prefix);
    if (ptype != LUA_TNIL && ptype != LUA_TSTRING) return 0;
    size_t plen = 0;
    const char *pre = ptype == LUA_TSTRING ? lua_tolstring(L, prefix, &plen) : "";
    if (!lua_checkstack(L, (int)nt + 8)) return 0;
    int base = lua_gettop(L);
    /* the labels of used tiers, kept on the stack (anchored) while the note is built */
    const char *label[MAX_TIERS];
    size_t llen[MAX_TIERS];
    char generated[MAX_TIERS][24];
    int used[MAX_TIERS], nused = 0;
    for (int i = 0; i < nt; i++) {
        if (counts[i] == 0) continue;
        if (!whole_points[i] || counts[i] > 2147483647) { lua_settop(L, base); return 0; }
        lua_geti(L, 3, i + 1);                          /* stack: ... tier */
        int lt = lua_getfield(L, -1, "label");           /* stack: ... tier label */
        lua_remove(L, -2);                               /* stack: ... label */
        if (lt == LUA_TNIL || (lt == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
            snprintf(generated[nused], sizeof generated[nused], "tier %d", i + 1);
            label[nused] = generated[nused];
            llen[nused] = strlen(generated[nused]);
        } else if (lt == LUA_TSTRING) {
            label[nused] = lua_tolstring(L, -1, &llen[nused]);
        } else {
            lua_settop(L, base);
            return 0;
        }
        used[nused++] = i;
    }
    /* equal labels (as strings: the same prefix, so equal parts after it) are one entry, at the first */
    int64_t entry_count[MAX_TIERS], entry_points[MAX_TIERS];
    int nentries = 0, first_of_entry[MAX_TIERS];
    for (int k = 0; k < nused; k++) {
        int e = 0;
        while (e < nentries && !(llen[first_of_entry[e]] == llen[k] && memcmp(label[first_of_entry[e]], label[k], llen[k]) == 0)) e++;
        if (e == nentries) { first_of_entry[e] = k; entry_count[e] = 0; entry_points[e] = 0; nentries++; }
        entry_count[e] += counts[used[k]];
        entry_points[e] += (int64_t)points[used[k]] * counts[used[k]];
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    char text[64];
    for (int e = 0; e < nentries; e++) {
        int k = first_of_entry[e];
        if (e > 0) luaL_addstring(&b, "\xEF\xBC\x9B");   /* ； */
        luaL_addlstring(&b, pre, plen);
        luaL_addlstring(&b, label[k], llen[k]);
        if (entry_count[e] == 1) luaL_addchar(&b, ' ');
        else {
            snprintf(text, sizeof text, " \xC3\x97%lld ", (long long)entry_count[e]);   /* ×rows */
            luaL_addstring(&b, text);
        }
        points_text(text, sizeof text, 1, (lua_Integer)entry_points[e], 0);
        luaL_addstring(&b, text);
    }
    luaL_pushresult(&b);                                 /* stack: ... labels note */
    lua_insert(L, base + 1);
    lua_settop(L, base + 1);                             /* stack: ... note */
    return 1;
}

/* tier_rows(list, column, tiers, filter) -> total, counts (array: rows per tier, 0 for none).
   A row's tier is the first with value < below, value <= upto, or neither; a row whose value is empty or
   matches no tier raises an error naming it. */
static int fast_tier_rows(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    int64_t a, b;
    decoded d = list_arg(L, 1, &a, &b, "tier_sum");
    int c = column_arg(L, sb, d.table, 2, "tier_sum");
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_Integer nt = luaL_len(L, 3);
    if (nt < 1 || nt > MAX_TIERS) return fp_error(L, "tier_sum: expected 1 to %d tiers", MAX_TIERS);
    double below[MAX_TIERS], upto[MAX_TIERS], points[MAX_TIERS];
    int has_below[MAX_TIERS], has_upto[MAX_TIERS], whole_points[MAX_TIERS];
    for (int i = 0; i < nt; i++) {
        lua_geti(L, 3, i + 1);                          /* stack: ... tier */
        if (!lua_istable(L, -1)) return fp_error(L, "tier_sum: tier %d must be a table", i + 1);
        has_below[i] = lua_getfield(L, -1, "below") == LUA_TNUMBER;
        below[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
        has_upto[i] = lua_getfield(L, -1, "upto") == LUA_TNUMBER;
        upto[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
        if (lua_getfield(L, -1, "points") != LUA_TNUMBER)
            return fp_error(L, "tier_sum: tier %d needs points", i + 1);
        points[i] = lua_tonumber(L, -1);
        /* an integer of at most 2^31 in magnitude: a note's sums of points × rows stay exact integers */
        whole_points[i] = lua_isinteger(L, -1) && fabs(points[i]) <= 2147483648.0;
        lua_pop(L, 2);
    }
    int want_note = lua_toboolean(L, 6);
    lua_settop(L, 5);
    int prefix = 5;
    filter f;
    compile_filter(L, sb, 4, d.table, &f, "tier_sum"); /* stack: list column tiers filter prefix [its tables] */
    int64_t counts[MAX_TIERS] = { 0 };
    double total = 0;
    for (int64_t r = a; r < b; r++) {
        if (f.n && !matches(sb, &f, r)) continue;
        double v = number_cell(sb, d.table, r, c);
        if (isnan(v)) return fp_error(L, "tier_sum: row %d of '%s' has no %s", (int)(r - a + 1),
                                        sb->ds->tables[d.table].name, sb->ds->tables[d.table].cols[c].name);
        int i = 0;
        for (; i < nt; i++) {
            if ((!has_below[i] && !has_upto[i]) || (has_below[i] && v < below[i]) || (has_upto[i] && v <= upto[i]))
                break;
        }
        if (i == nt) return fp_error(L, "tier_sum: no tier matches %f", v);
        counts[i]++;
        total += points[i];
    }
    if (total == floor(total) && fabs(total) < 9007199254740992.0) lua_pushinteger(L, (lua_Integer)total);
    else lua_pushnumber(L, total);
    lua_createtable(L, (int)nt, 0);
    for (int i = 0; i < nt; i++) {
        lua_pushinteger(L, counts[i]);
        lua_rawseti(L, -2, i + 1);
    }
    if (!want_note) return 2;
    return tier_note(L, sb, nt, counts, points, whole_points, prefix) ? 3 : 2;
}

/* ---------- a tally's note ---------- */

/* Writes points as the prelude's points_text does: an integer (or a float with an integer value below 10^15
   in magnitude) as %d with a sign when positive; any other number as %.6f without trailing zeros (nor a
   trailing point), with a sign when positive. */
static void points_text(char *text, size_t size, int isint, lua_Integer i, double x) {
    if (isint) {
        snprintf(text, size, i > 0 ? "+" LUA_INTEGER_FMT : LUA_INTEGER_FMT, (LUAI_UACINT)i);
    } else if (x == floor(x) && x > -1e15 && x < 1e15) {
        long long whole = (long long)x;
        snprintf(text, size, whole > 0 ? "+%lld" : "%lld", whole);
    } else {
        char digits[400];                                /* %.6f of the largest double: 309 digits and 7 more */
        snprintf(digits, sizeof digits, "%.6f", x);
        size_t n = strlen(digits);
        while (n > 0 && digits[n - 1] == '0') n--;
        if (n > 0 && digits[n - 1] == '.') n--;
        digits[n] = 0;
        snprintf(text, size, x > 0 ? "+%s" : "%s", digits);
    }
}

/* Pushes t[k] of a plain table t (stack index) and tells whether it is a number with an integer value. */
static int raw_count(lua_State *L, int t, lua_Integer k, lua_Integer *out) {
    lua_rawgeti(L, t, k);
    int isint = 0;
    if (lua_isinteger(L, -1)) { *out = lua_tointeger(L, -1); isint = 1; }
    else if (lua_type(L, -1) == LUA_TNUMBER) {
        double v = lua_tonumber(L, -1);
        if (v == floor(v) && fabs(v) < 9007199254740992.0) { *out = (lua_Integer)v; isint = 1; }
    }
    lua_pop(L, 1);
    return isint;
}

/* tally_note(labels, counts, points, extra) -> the note TallyMethods:note() builds in Lua, or nil when the
   parts are not what tally() made (a table with a metatable, a label or extra note that is not a string, a
   count that is not a whole number): the prelude then builds it itself, with its own errors. Each label is
   "label points" once, "label ×count points" more often, with the extra notes (another helper's, merged
   after label i) in place; parts joined by "；". One string is made, instead of several per label. */
static int fast_tally_note(lua_State *L) {
    lua_settop(L, 4);
    for (int i = 1; i <= 4; i++) {
        if (lua_type(L, i) != LUA_TTABLE) return 0;
        if (lua_getmetatable(L, i)) return 0;
    }
    lua_Integer nlabels = (lua_Integer)lua_rawlen(L, 1), nextra = (lua_Integer)lua_rawlen(L, 4);
    /* check everything first: nothing is built from parts the Lua path would read otherwise */
    for (lua_Integer i = 1; i <= nlabels; i++) {
        if ((i & 4095) == 0 && kh_interrupted(L)) luaL_error(L, "interrupted");
        lua_Integer c;
        int label_ok = lua_rawgeti(L, 1, i) == LUA_TSTRING;
        int points_ok = lua_rawgeti(L, 3, i) == LUA_TNUMBER;
        lua_pop(L, 2);
        if (!label_ok || !points_ok || !raw_count(L, 2, i, &c)) return 0;
    }
    for (lua_Integer e = 1; e <= nextra; e++) {
        if ((e & 4095) == 0 && kh_interrupted(L)) luaL_error(L, "interrupted");
        if (lua_rawgeti(L, 4, e) != LUA_TTABLE || lua_getmetatable(L, -1)) return 0;
        int position = lua_rawgeti(L, -1, 1), note = lua_rawgeti(L, -2, 2);
        int ok = position == LUA_TNUMBER && note == LUA_TSTRING;
        lua_pop(L, 3);
        if (!ok) return 0;
    }
    /* between buffer operations the stack is used only in balanced pairs (the buffer may hold a slot) */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    int parts = 0;
    lua_Integer e = 1;
    char text[440];
    for (lua_Integer i = 0; i <= nlabels; i++) {
        /* the labels were made by Lua under the limits; the loop over them stops when a limit trips too */
        if ((i & 4095) == 4095 && kh_interrupted(L)) luaL_error(L, "interrupted");
        if (i > 0) {
            lua_Integer c = 0;
            raw_count(L, 2, i, &c);
            lua_rawgeti(L, 3, i);
            int isint = lua_isinteger(L, -1);
            lua_Integer pi = isint ? lua_tointeger(L, -1) : 0;
            double px = lua_tonumber(L, -1);
            lua_pop(L, 1);
            if (parts++) luaL_addstring(&b, "\xEF\xBC\x9B");   /* ； */
            lua_rawgeti(L, 1, i);
            luaL_addvalue(&b);                                 /* the label */
            if (c == 1) {
                luaL_addchar(&b, ' ');
            } else {
                snprintf(text, sizeof text, " \xC3\x97" LUA_INTEGER_FMT " ", (LUAI_UACINT)c);   /* ×c */
                luaL_addstring(&b, text);
            }
            points_text(text, sizeof text, isint, pi, px);
            luaL_addstring(&b, text);
        }
        while (e <= nextra) {
            lua_rawgeti(L, 4, e);                              /* stack: ... entry */
            lua_rawgeti(L, -1, 1);                             /* stack: ... entry position */
            int here = lua_tonumber(L, -1) == (lua_Number)i;
            lua_pop(L, 2);
            if (!here) break;
            if (parts++) luaL_addstring(&b, "\xEF\xBC\x9B");
            lua_rawgeti(L, 4, e);
            lua_rawgeti(L, -1, 2);                             /* stack: ... entry note */
            lua_remove(L, -2);
            luaL_addvalue(&b);
            e++;
        }
    }
    luaL_pushresult(&b);
    return 1;
}

/* Adds the fast helpers to the table at idx (the prelude's host primitives). */
void kh_register_fastpath(lua_State *L, int idx) {
    static const luaL_Reg helpers[] = {
        { "count", fast_count },
        { "any", fast_any },
        { "count_by", fast_count_by },
        { "filter", fast_filter },
        { "sum", fast_sum },
        { "tier_rows", fast_tier_rows },
        { "tally_note", fast_tally_note },
        { NULL, NULL },
    };
    lua_pushvalue(L, idx);
    luaL_setfuncs(L, helpers, 0);
    lua_pop(L, 1);
}
