/*
 * dataview.c — input data as read-only light userdata.
 *
 * A unit, the list of a unit's rows in one table, and one row are each a light userdata whose pointer
 * value encodes (kind, table, index). Nothing is copied into Lua: a field read decodes the value and
 * reads the column store directly. All light userdata share one metatable, protected by __metatable,
 * so scripts can neither write to the data nor change how it is read.
 *
 *   bits 0-1  kind (1 unit, 2 list, 3 row)     bits 2-9  table index     bits 10-63  unit or row index
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sandbox_internal.h"

#define UP_COLMAPS lua_upvalueindex(1)   /* array: table index + 1 -> { column name -> column index } */
#define UP_UNITMAP lua_upvalueindex(2)   /* unit fields: column name -> index >= 0, table name -> -(t) */

decoded kh_decode(lua_State *L, int idx) {
    kh_sandbox *sb = kh_sb(L);
    uintptr_t v = (uintptr_t)lua_touserdata(L, idx);
    decoded d = { (int)(v & 3), (int)((v >> 2) & 0xff), (int64_t)(v >> 10) };
    if (d.kind == 0 || sb->ds == NULL || d.table >= sb->ds->ntables)
        luaL_error(L, "not a kaohe data value");
    return d;
}

static void push_unit_id(lua_State *L, const kh_dataset *ds, int64_t unit);

const char *kh_kind_name(int kind) {
    return kind == KIND_UNIT ? "unit" : kind == KIND_LIST ? "list of rows" : "row";
}

/* Records a cell read while tracing (kaohe explain). */
void kh_record_access(kh_sandbox *sb, int t, int64_t row, int c) {
    if (sb->nacc >= 1000000) return;
    if (sb->nacc == sb->acc_cap) {
        size_t cap = sb->acc_cap ? sb->acc_cap * 2 : 256;
        kh_access *n = realloc(sb->acc, cap * sizeof *n);
        if (n) { sb->acc = n; sb->acc_cap = cap; }
    }
    if (sb->nacc < sb->acc_cap)
        sb->acc[sb->nacc++] = (kh_access){ sb->cur_rule, t, row, c };
}

/* Pushes the value of one cell: nil when empty, boolean for flags, integer or float by column type. */
void kh_push_cell(lua_State *L, kh_sandbox *sb, int t, int64_t row, int c) {
    const kh_column *col = &sb->ds->tables[t].cols[c];
    if (sb->trace) kh_record_access(sb, t, row, c);
    if (col->type == KH_COL_TEXT) {
        int32_t code = col->text[row];
        if (code < 0) { lua_pushnil(L); return; }
        int64_t a = col->pool_offsets[code], b = col->pool_offsets[code + 1];
        lua_pushlstring(L, (const char *)col->pool + a, (size_t)(b - a));
        return;
    }
    double v = col->num[row];
    if (isnan(v)) lua_pushnil(L);
    else if (col->type == KH_COL_FLAG) lua_pushboolean(L, v != 0);
    else if (col->type == KH_COL_INTEGER) lua_pushinteger(L, (lua_Integer)v);
    else lua_pushnumber(L, v);
}

static int64_t list_length(const kh_dataset *ds, int t, int64_t unit) {
    const int64_t *s = ds->tables[t].unit_start;
    return s[unit + 1] - s[unit];
}

void kh_add_column_names(luaL_Buffer *b, const kh_table *tab) {
    for (int c = 0; c < tab->ncols; c++) {
        if (c) luaL_addstring(b, ", ");
        luaL_addstring(b, tab->cols[c].name);
    }
}

static int field_error(lua_State *L, decoded d) {
    kh_sandbox *sb = kh_sb(L);
    const kh_table *tab = &sb->ds->tables[d.table];
    const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    kh_add_column_names(&b, tab);
    if (d.kind == KIND_UNIT) {
        for (int t = 1; t < sb->ds->ntables; t++) {
            luaL_addstring(&b, ", ");
            luaL_addstring(&b, sb->ds->tables[t].name);
        }
    }
    luaL_pushresult(&b);
    luaL_where(L, 1);
    lua_pushfstring(L, "%s of '%s' has no field '%s' (it has: %s)", kh_kind_name(d.kind), tab->name, key,
                    lua_tostring(L, -2));
    lua_concat(L, 2);
    return kh_raise_coded(L, sb, "data.unknown-column");
}

static int data_index(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    decoded d = kh_decode(L, 1);
    const kh_dataset *ds = sb->ds;
    switch (d.kind) {
    case KIND_UNIT: {
        lua_pushvalue(L, 2);
        lua_rawget(L, UP_UNITMAP);                        /* stack: ... idx */
        if (!lua_isinteger(L, -1)) return field_error(L, d);
        lua_Integer c = lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (c >= 0) kh_push_cell(L, sb, 0, d.index, (int)c);
        else lua_pushlightuserdata(L, encode(KIND_LIST, (int)-c, d.index));
        return 1;
    }
    case KIND_LIST: {
        int isint = 0;
        lua_Integer k = lua_tointegerx(L, 2, &isint);
        if (!isint) {
            if (lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "n") == 0) {
                lua_pushinteger(L, list_length(ds, d.table, d.index));
                return 1;
            }
            kh_push_key_text(L, 2);
            return luaL_error(L, "a list of '%s' rows is indexed by position 1..#list, not by '%s'",
                              ds->tables[d.table].name, lua_tostring(L, -1));
        }
        int64_t n = list_length(ds, d.table, d.index);
        if (k < 1 || k > n) lua_pushnil(L);
        else lua_pushlightuserdata(L, encode(KIND_ROW, d.table,
                                             ds->tables[d.table].unit_start[d.index] + k - 1));
        return 1;
    }
    default: {
        /* fast path: column names are interned short strings, so the key's pointer identifies the column */
        if (lua_type(L, 2) == LUA_TSTRING && sb->colnames) {
            const char *k = lua_tostring(L, 2);
            const char **names = sb->colnames[d.table];
            int n = ds->tables[d.table].ncols;
            for (int c = 0; c < n; c++) {
                if (names[c] == k) {
                    kh_push_cell(L, sb, d.table, d.index, c);
                    return 1;
                }
            }
        }
        lua_rawgeti(L, UP_COLMAPS, d.table + 1);          /* stack: ... map */
        lua_pushvalue(L, 2);
        lua_rawget(L, -2);                                /* stack: ... map idx */
        if (!lua_isinteger(L, -1)) return field_error(L, d);
        int c = (int)lua_tointeger(L, -1);
        lua_pop(L, 2);
        kh_push_cell(L, sb, d.table, d.index, c);
        return 1;
    }
    }
}

static int data_newindex(lua_State *L) {
    decoded d = kh_decode(L, 1);
    kh_push_key_text(L, 2);
    return luaL_error(L, "input data is read-only: cannot set '%s' of a %s of '%s'",
                      lua_tostring(L, -1), kh_kind_name(d.kind), kh_sb(L)->ds->tables[d.table].name);
}

static int data_len(lua_State *L) {
    decoded d = kh_decode(L, 1);
    if (d.kind != KIND_LIST) return luaL_error(L, "attempt to get the length of a %s", kh_kind_name(d.kind));
    lua_pushinteger(L, list_length(kh_sb(L)->ds, d.table, d.index));
    return 1;
}

static void push_unit_id(lua_State *L, const kh_dataset *ds, int64_t unit) {
    const kh_column *col = &ds->tables[0].cols[0];
    int32_t code = col->text[unit];
    int64_t a = col->pool_offsets[code], b = col->pool_offsets[code + 1];
    lua_pushlstring(L, (const char *)col->pool + a, (size_t)(b - a));
}

static int data_tostring(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    decoded d = kh_decode(L, 1);
    const kh_dataset *ds = sb->ds;
    const char *tname = ds->tables[d.table].name;
    if (d.kind == KIND_UNIT) {
        push_unit_id(L, ds, d.index);
        lua_pushfstring(L, "unit %s", lua_tostring(L, -1));
    } else if (d.kind == KIND_LIST) {
        push_unit_id(L, ds, d.index);
        lua_pushfstring(L, "%s rows of unit %s (%d)", tname, lua_tostring(L, -1),
                        (int)list_length(ds, d.table, d.index));
    } else {
        int64_t row = d.index;
        lua_pushfstring(L, "%s row %d", tname, (int)(row + 1));
    }
    return 1;
}

/* pairs(row) / pairs(unit): the columns in declared order. */
static int data_next(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    decoded d = kh_decode(L, 1);
    const kh_table *tab = &sb->ds->tables[d.table];
    int c = 0;
    if (!lua_isnil(L, 2)) {
        const char *key = luaL_checkstring(L, 2);
        while (c < tab->ncols && strcmp(tab->cols[c].name, key) != 0) c++;
        c++;
    }
    for (; c < tab->ncols; c++) {
        lua_pushstring(L, tab->cols[c].name);
        kh_push_cell(L, sb, d.table, d.index, c);
        return 2;
    }
    return 0;
}

static int data_pairs(lua_State *L) {
    decoded d = kh_decode(L, 1);
    if (d.kind == KIND_LIST) {
        return luaL_error(L, "use ipairs (or a numeric for loop) to go through a list of '%s' rows",
                          kh_sb(L)->ds->tables[d.table].name);
    }
    lua_pushcfunction(L, data_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

void kh_dataview_free(kh_sandbox *sb) {
    if (!sb->colnames) return;
    for (int t = 0; sb->colnames[t] != NULL; t++) free(sb->colnames[t]);
    free(sb->colnames);
    sb->colnames = NULL;
}

/* Interns every column name as a Lua string anchored in the registry and keeps its address. */
static void intern_column_names(lua_State *L, kh_sandbox *sb) {
    const kh_dataset *ds = sb->ds;
    kh_dataview_free(sb);
    const char ***names = calloc((size_t)ds->ntables + 1, sizeof *names);
    if (!names) luaL_error(L, "out of host memory");
    lua_createtable(L, 64, 0);                            /* stack: anchor */
    int k = 0;
    for (int t = 0; t < ds->ntables; t++) {
        names[t] = calloc((size_t)ds->tables[t].ncols + 1, sizeof **names);
        if (!names[t]) { sb->colnames = names; luaL_error(L, "out of host memory"); }
        for (int c = 0; c < ds->tables[t].ncols; c++) {
            names[t][c] = lua_pushstring(L, ds->tables[t].cols[c].name);
            lua_rawseti(L, -2, ++k);
        }
    }
    sb->colnames = names;
    luaL_unref(L, LUA_REGISTRYINDEX, sb->colnames_ref);
    sb->colnames_ref = luaL_ref(L, LUA_REGISTRYINDEX);    /* stack: (empty) */
}

/* rows(list) -> a plain array of the list's row handles (a Lua table iterates faster than the list). A
   table argument is returned as it is. */
int kh_rows(lua_State *L) {
    if (lua_type(L, 1) == LUA_TTABLE) { lua_settop(L, 1); return 1; }
    if (lua_type(L, 1) != LUA_TLIGHTUSERDATA) return luaL_typeerror(L, 1, "list of rows");
    decoded d = kh_decode(L, 1);
    if (d.kind != KIND_LIST) return luaL_error(L, "rows: expected a list of rows, got a %s", kh_kind_name(d.kind));
    kh_sandbox *sb = kh_sb(L);
    const kh_table *tab = &sb->ds->tables[d.table];
    int64_t a = tab->unit_start[d.index], n = tab->unit_start[d.index + 1] - a;
    lua_createtable(L, (int)n, 0);
    for (int64_t i = 0; i < n; i++) {
        lua_pushlightuserdata(L, encode(KIND_ROW, d.table, a + i));
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* Builds the lookup tables and installs the shared metatable of light userdata. */
int kh_dataview_setup(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    const kh_dataset *ds = sb->ds;
    if (ds == NULL || ds->ntables < 1) return luaL_error(L, "no dataset");
    intern_column_names(L, sb);
    lua_createtable(L, ds->ntables, 0);                   /* stack: colmaps */
    for (int t = 0; t < ds->ntables; t++) {
        const kh_table *tab = &ds->tables[t];
        lua_createtable(L, 0, tab->ncols);                /* stack: colmaps map */
        for (int c = 0; c < tab->ncols; c++) {
            lua_pushinteger(L, c);
            lua_setfield(L, -2, tab->cols[c].name);
        }
        lua_rawseti(L, -2, t + 1);                        /* stack: colmaps */
    }
    lua_createtable(L, 0, 16);                            /* stack: colmaps unitmap */
    for (int c = 0; c < ds->tables[0].ncols; c++) {
        lua_pushinteger(L, c);
        lua_setfield(L, -2, ds->tables[0].cols[c].name);
    }
    for (int t = 1; t < ds->ntables; t++) {
        lua_pushinteger(L, -t);
        lua_setfield(L, -2, ds->tables[t].name);
    }
    lua_createtable(L, 0, 8);                             /* stack: colmaps unitmap mt */
    lua_pushvalue(L, -3);
    lua_pushvalue(L, -3);
    lua_pushcclosure(L, data_index, 2);
    lua_setfield(L, -2, "__index");
    static const luaL_Reg metamethods[] = {
        { "__newindex", data_newindex },
        { "__len", data_len },
        { "__tostring", data_tostring },
        { "__pairs", data_pairs },
        { NULL, NULL },
    };
    luaL_setfuncs(L, metamethods, 0);
    lua_pushliteral(L, "read-only kaohe data");
    lua_setfield(L, -2, "__metatable");
    lua_pushliteral(L, "kaohe.data");
    lua_setfield(L, -2, "__name");
    lua_pushlightuserdata(L, encode(KIND_UNIT, 0, 0));   /* stack: colmaps unitmap mt ud */
    lua_pushvalue(L, -2);
    lua_setmetatable(L, -2);
    lua_pop(L, 4);
    return 0;
}

void kh_push_unit(lua_State *L, int64_t unit) { lua_pushlightuserdata(L, encode(KIND_UNIT, 0, unit)); }
