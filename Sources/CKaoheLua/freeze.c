/*
 * freeze.c — what makes a policy's values read-only and its results the same on every run.
 *
 * Read-only tables. Once a policy has loaded, every table it can reach is "hollowed" by the prelude: its
 * contents move to a private shadow table, and the table itself stays (same identity, empty) with a
 * protected metatable that reads from the shadow and refuses writes. Two weak registry maps tell C which
 * tables are what: shadows (hollow table -> its shadow) and views (explain's tracing wrapper -> the table
 * it wraps). C code that must read a table raw (the fast-path filters, next, pairs) looks through them.
 *
 * State between evaluations. A Lua function that writes to a variable declared outside it (an upvalue)
 * would carry values from one unit, or one rule, to the next. kh_upvalue_writes reads the bytecode of a
 * function (string.dump) and reports every SETUPVAL that assigns such a variable, with its line.
 *
 * Order. The string hash seed of a Lua state is random (luai_makeseed mixes the time and addresses), so the
 * raw order of `next` differs from one run to the next, and tostring(table) and '%p' print addresses.
 * kh_next and kh_sorted_keys visit keys in one fixed order (numbers, then strings by bytes, then false,
 * true, then rows of data); kh_safe_format refuses '%p' and prints tables through the prelude's tostring.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sandbox_internal.h"

static const char kh_shadows_key = 0;
static const char kh_views_key = 0;

/* ---------- the maps ---------- */

static void new_weak_map(lua_State *L, const void *key) {
    lua_createtable(L, 0, 0);                          /* stack: map */
    lua_createtable(L, 0, 1);                          /* stack: map mt */
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);                           /* stack: map */
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, key);            /* stack: map */
}

void kh_push_frozen_maps(lua_State *L) {
    new_weak_map(L, &kh_shadows_key);                  /* stack: shadows */
    new_weak_map(L, &kh_views_key);                    /* stack: shadows views */
}

/* Pushes map[value at idx] (nil when absent). */
static int map_get(lua_State *L, const void *key, int idx) {
    idx = lua_absindex(L, idx);
    lua_rawgetp(L, LUA_REGISTRYINDEX, key);            /* stack: map */
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);                                 /* stack: map v */
    lua_remove(L, -2);                                 /* stack: v */
    return lua_type(L, -1);
}

/* Pushes the table that holds what the value at idx shows: a view is followed to the table it wraps, a
   read-only table gives its shadow, anything else itself. *plain tells whether reading that table raw is
   reading the value: it has no metatable, or it is the shadow of a read-only table whose reads go
   straight to it (not one that had an __index or __pairs of its own). */
static void resolve(lua_State *L, int idx, int *plain) {
    idx = lua_absindex(L, idx);
    lua_pushvalue(L, idx);                             /* stack: t */
    *plain = 0;
    for (int depth = 0; depth < 8; depth++) {
        if (lua_type(L, -1) != LUA_TTABLE) return;
        /* views and read-only tables always have a metatable (a protected one: a policy cannot remove it),
           so a table without one is plain, and the two map lookups below are skipped (filters written in a
           rule are such tables, built on every call) */
        if (!lua_getmetatable(L, -1)) { *plain = 1; return; }
        lua_pop(L, 1);
        if (map_get(L, &kh_views_key, -1) == LUA_TTABLE) {   /* stack: t target */
            lua_remove(L, -2);                         /* stack: target */
            continue;
        }
        lua_pop(L, 1);                                 /* stack: t */
        if (map_get(L, &kh_shadows_key, -1) == LUA_TTABLE) {  /* stack: t shadow */
            lua_getmetatable(L, -2);                   /* stack: t shadow mt */
            lua_getfield(L, -1, "__index");            /* stack: t shadow mt index */
            int direct = lua_rawequal(L, -1, -3);
            lua_pop(L, 1);
            lua_getfield(L, -1, "__pairs");            /* stack: t shadow mt pairs */
            *plain = direct && lua_isnil(L, -1);
            lua_pop(L, 2);                             /* stack: t shadow */
            lua_remove(L, -2);                         /* stack: shadow */
            return;
        }
        lua_pop(L, 1);                                 /* stack: t */
        return;                                        /* a metatable of its own: not plain */
    }
}

int kh_see_through(lua_State *L, int idx) {
    int plain;
    resolve(L, idx, &plain);
    return plain;
}

/* see_through(t) -> the table holding t's contents (t itself unless t is read-only), and whether it is
   plain (see resolve) */
int kh_see_through_f(lua_State *L) {
    lua_settop(L, 1);
    int plain;
    resolve(L, 1, &plain);                             /* stack: t raw */
    lua_pushboolean(L, plain);
    return 2;
}

/* __len of a read-only table: the length of its shadow (upvalue 1), which is its real length. */
static int frozen_len(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

/* len_of(shadow) -> a __len function for the table hollowed into shadow */
int kh_len_of_f(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_pushcclosure(L, frozen_len, 1);
    return 1;
}

/* ---------- a fixed order of keys ---------- */

enum { RANK_NUMBER, RANK_STRING, RANK_BOOLEAN, RANK_ROW, RANK_OTHER };

typedef struct key_info {
    int rank;
    int isint;
    lua_Integer i;
    double f;
    const char *s;
    size_t len;
    uintptr_t p;
    int slot;            /* position of the key in the anchoring table */
} key_info;

static void describe_key(lua_State *L, int idx, key_info *k) {
    memset(k, 0, sizeof *k);
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        k->rank = RANK_NUMBER;
        k->isint = lua_isinteger(L, idx);
        if (k->isint) k->i = lua_tointeger(L, idx); else k->f = lua_tonumber(L, idx);
        break;
    case LUA_TSTRING:
        k->rank = RANK_STRING;
        k->s = lua_tolstring(L, idx, &k->len);
        break;
    case LUA_TBOOLEAN:
        k->rank = RANK_BOOLEAN;
        k->i = lua_toboolean(L, idx);
        break;
    case LUA_TLIGHTUSERDATA:   /* rows and units of the data: their value encodes table and row */
        k->rank = RANK_ROW;
        k->p = (uintptr_t)lua_touserdata(L, idx);
        break;
    default:
        k->rank = RANK_OTHER;
    }
}

static int cmp_int_float(lua_Integer i, double f) {
    double d = (double)i;
    if (d < f) return -1;
    if (d > f) return 1;
    return f > 0 ? -1 : 1;   /* equal only when f is integral and out of the integer range */
}

static int key_cmp(const key_info *a, const key_info *b) {
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    switch (a->rank) {
    case RANK_NUMBER:
        if (a->isint && b->isint) return a->i < b->i ? -1 : a->i > b->i;
        if (!a->isint && !b->isint) return a->f < b->f ? -1 : a->f > b->f;
        if (a->isint) return cmp_int_float(a->i, b->f);
        return -cmp_int_float(b->i, a->f);
    case RANK_STRING: {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, n);
        if (c != 0) return c < 0 ? -1 : 1;
        return a->len < b->len ? -1 : a->len > b->len;
    }
    case RANK_BOOLEAN: return (int)(a->i - b->i);
    case RANK_ROW: return a->p < b->p ? -1 : a->p > b->p;
    default: return 0;
    }
}

static int qsort_cmp(const void *a, const void *b) { return key_cmp(a, b); }

static int unordered_error(lua_State *L, const char *helper, int n) {
    return luaL_error(L, "%s: the table has %d keys that are tables or functions; such keys have no order that "
                      "is the same from one run to the next, so they cannot be visited in turn (key the table "
                      "by strings or numbers instead)", helper, n);
}

/* sorted_keys(t, helper) -> array of t's keys (raw) in the fixed order. */
int kh_sorted_keys_f(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    const char *helper = luaL_optstring(L, 2, "pairs");
    lua_settop(L, 1);
    lua_newtable(L);                                   /* stack: t keys */
    int n = 0, others = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {                           /* stack: t keys k v */
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TNUMBER && lua_type(L, -1) != LUA_TSTRING &&
            lua_type(L, -1) != LUA_TBOOLEAN && lua_type(L, -1) != LUA_TLIGHTUSERDATA) others++;
        lua_pushvalue(L, -1);
        lua_rawseti(L, 2, ++n);                        /* stack: t keys k */
    }
    if (others > 1) return unordered_error(L, helper, others);
    if (n < 2) return 1;
    /* the key descriptions point into strings anchored by keys; a userdata so a memory error frees it */
    key_info *info = lua_newuserdatauv(L, (size_t)n * sizeof *info, 0);   /* stack: t keys info */
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, 2, i + 1);                      /* stack: t keys info k */
        describe_key(L, -1, &info[i]);
        info[i].slot = i + 1;
        lua_pop(L, 1);
    }
    qsort(info, (size_t)n, sizeof *info, qsort_cmp);
    lua_createtable(L, n, 0);                          /* stack: t keys info sorted */
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, 2, info[i].slot);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* next(t [, k]) -> the key after k in the fixed order and its value; a read-only table shows its contents.
   Each call scans the whole table (pairs sorts once). A key that is not in the table is not an error:
   a loop may clear the fields it has visited, as with Lua's own next. */
int kh_next_f(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    int plain;
    resolve(L, 1, &plain);                             /* stack: t k raw */
    lua_replace(L, 1);                                 /* stack: raw k */
    key_info after, best, cur;
    int has_after = !lua_isnil(L, 2);
    if (has_after) describe_key(L, 2, &after);
    int after_other = has_after && after.rank == RANK_OTHER;
    lua_pushnil(L);                                    /* stack: raw k best */
    lua_pushnil(L);                                    /* stack: raw k best other */
    int found = 0, others = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {                           /* stack: raw k best other key v */
        lua_pop(L, 1);                                 /* stack: raw k best other key */
        describe_key(L, -1, &cur);
        if (cur.rank == RANK_OTHER) {
            others++;
            lua_pushvalue(L, -1);
            lua_replace(L, 4);
            continue;
        }
        if (has_after && key_cmp(&cur, &after) <= 0) continue;
        if (!found || key_cmp(&cur, &best) < 0) {
            lua_pushvalue(L, -1);
            lua_replace(L, 3);                         /* slot 3 anchors best's string */
            describe_key(L, 3, &best);
            found = 1;
        }
    }
    /* stack: raw k best other */
    if (!found) {
        if (others > 1) return unordered_error(L, "next", others);
        if (others == 0 || after_other) { lua_pushnil(L); return 1; }
        lua_pushvalue(L, 4);                           /* the one table (or function) key comes last */
    } else {
        lua_pushvalue(L, 3);
    }
    lua_pushvalue(L, -1);
    lua_rawget(L, 1);                                  /* stack: raw k best other key v */
    return 2;
}

/* ---------- upvalues written by a function ---------- */

#define OP_SETUPVAL_54 10    /* lopcodes.h of Lua 5.4: SETUPVAL A B  UpValue[B] := R[A] */

typedef struct cursor {
    const uint8_t *p, *end;
    int bad;
} cursor;

static uint8_t get_byte(cursor *c) {
    if (c->p >= c->end) { c->bad = 1; return 0; }
    return *c->p++;
}

/* ldump.c's dumpSize: 7 bits a byte, most significant first, the last byte marked with 0x80 */
static size_t get_size(cursor *c) {
    size_t x = 0;
    for (int i = 0; i < 10; i++) {
        uint8_t b = get_byte(c);
        x = (x << 7) | (b & 0x7f);
        if (b & 0x80) return x;
    }
    c->bad = 1;
    return 0;
}

static void skip(cursor *c, size_t n) {
    if ((size_t)(c->end - c->p) < n) { c->bad = 1; c->p = c->end; return; }
    c->p += n;
}

/* A string: its size + 1 (0 for none), then the bytes. */
static const uint8_t *get_string(cursor *c, size_t *len) {
    size_t n = get_size(c);
    *len = 0;
    if (n == 0 || c->bad) return NULL;
    const uint8_t *s = c->p;
    skip(c, n - 1);
    *len = n - 1;
    return s;
}

typedef struct proto {
    int parent;                  /* index in the array, -1 for the dumped function */
    size_t linedefined;
    const uint8_t *code; size_t ncode;
    const uint8_t *upv; size_t nupv;           /* instack, idx, kind per upvalue */
    const uint8_t *lineinfo; size_t nlineinfo;
    const uint8_t *abs, *abs_end; size_t nabs; /* pairs of sizes: pc, line */
    const uint8_t *names, *names_end; size_t nnames;   /* upvalue names */
} proto;

typedef struct protos {
    proto *v;
    size_t n, cap;
    int depth;
} protos;

static int parse_proto(cursor *c, protos *ps, int parent) {
    if (ps->depth > 250) return 0;
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 16;
        proto *v = realloc(ps->v, cap * sizeof *v);
        if (!v) return 0;
        ps->v = v;
        ps->cap = cap;
    }
    size_t me = ps->n++;
    proto *p = &ps->v[me];
    memset(p, 0, sizeof *p);
    p->parent = parent;
    size_t len;
    get_string(c, &len);                         /* source */
    p->linedefined = get_size(c);
    get_size(c);                                 /* lastlinedefined */
    skip(c, 3);                                  /* numparams, is_vararg, maxstacksize */
    p->ncode = get_size(c);
    p->code = c->p;
    if (p->ncode > (size_t)(c->end - c->p) / 4) return 0;
    skip(c, p->ncode * 4);
    size_t nk = get_size(c);
    for (size_t i = 0; i < nk && !c->bad; i++) {
        uint8_t tag = get_byte(c);
        switch (tag) {
        case 0: case 1: case 17: break;                           /* nil, false, true */
        case 3: case 19: skip(c, 8); break;                       /* integer, float */
        case 4: case 20: get_string(c, &len); break;              /* short, long string */
        default: return 0;
        }
    }
    p->nupv = get_size(c);
    p->upv = c->p;
    if (p->nupv > (size_t)(c->end - c->p) / 3) return 0;
    skip(c, p->nupv * 3);
    size_t nprotos = get_size(c);
    for (size_t i = 0; i < nprotos && !c->bad; i++) {
        ps->depth++;
        if (!parse_proto(c, ps, (int)me)) return 0;
        ps->depth--;
    }
    p = &ps->v[me];                              /* the array may have moved */
    p->nlineinfo = get_size(c);
    p->lineinfo = c->p;
    skip(c, p->nlineinfo);
    p->nabs = get_size(c);
    p->abs = c->p;
    for (size_t i = 0; i < p->nabs && !c->bad; i++) { get_size(c); get_size(c); }
    p->abs_end = c->p;
    size_t nloc = get_size(c);
    for (size_t i = 0; i < nloc && !c->bad; i++) { get_string(c, &len); get_size(c); get_size(c); }
    p->nnames = get_size(c);
    p->names = c->p;
    for (size_t i = 0; i < p->nnames && !c->bad; i++) get_string(c, &len);
    p->names_end = c->p;
    return !c->bad;
}

/* The line of instruction pc (ldebug.c's luaG_getfuncline). */
static long line_of(const proto *p, size_t pc) {
    if (p->nlineinfo == 0 || pc >= p->nlineinfo) return -1;
    cursor c = { p->abs, p->abs_end, 0 };
    long baseline = (long)p->linedefined;
    long basepc = -1;
    for (size_t i = 0; i < p->nabs; i++) {
        size_t apc = get_size(&c), aline = get_size(&c);
        if (apc > pc) break;
        basepc = (long)apc;
        baseline = (long)aline;
    }
    while (++basepc <= (long)pc) baseline += (signed char)p->lineinfo[basepc];
    return baseline;
}

static const uint8_t *upvalue_name(const proto *p, size_t i, size_t *len) {
    cursor c = { p->names, p->names_end, 0 };
    const uint8_t *s = NULL;
    *len = 0;
    if (i >= p->nnames) return NULL;
    for (size_t k = 0; k <= i; k++) s = get_string(&c, len);
    return s;
}

/* Whether upvalue j of proto i outlives a call of the function: every upvalue of the dumped function
   does (it was made while the policy loaded); an inner function's upvalue does when it is one of its
   parent's that does, and not when it is a local of the parent (made afresh by each call). */
static int lasting(const protos *ps, size_t i, size_t j) {
    for (;;) {
        const proto *p = &ps->v[i];
        if (p->parent < 0) return 1;
        if (j >= p->nupv) return 0;
        if (p->upv[3 * j] != 0) return 0;       /* instack: a local of the parent */
        j = p->upv[3 * j + 1];
        i = (size_t)p->parent;
    }
}

static int check_header(cursor *c) {
    static const uint8_t sig[] = { 0x1b, 'L', 'u', 'a', 0x54, 0, 0x19, 0x93, '\r', '\n', 0x1a, '\n',
                                   4, sizeof(lua_Integer), sizeof(lua_Number) };
    if ((size_t)(c->end - c->p) < sizeof sig + 16 + 1 || memcmp(c->p, sig, sizeof sig) != 0) return 0;
    c->p += sizeof sig;
    lua_Integer i;
    lua_Number f;
    memcpy(&i, c->p, sizeof i);
    memcpy(&f, c->p + sizeof i, sizeof f);
    if (i != 0x5678 || f != 370.5) return 0;
    c->p += sizeof i + sizeof f;
    get_byte(c);                                 /* number of upvalues of the main function */
    return 1;
}

/* upvalue_writes(string.dump(f)) -> line, name of the first (by line) assignment to a variable declared
   outside f, or nothing. Raises when the bytecode is not Lua 5.4's (kaohe then refuses every policy
   rather than let one through unchecked). */
int kh_upvalue_writes_f(lua_State *L) {
    size_t n;
    const char *dump = luaL_checklstring(L, 1, &n);
    cursor c = { (const uint8_t *)dump, (const uint8_t *)dump + n, 0 };
    protos ps = { NULL, 0, 0, 0 };
    if (!check_header(&c) || !parse_proto(&c, &ps, -1)) {
        free(ps.v);
        return luaL_error(L, "cannot read the bytecode of a policy function (not Lua 5.4's format)");
    }
    long best_line = -1;
    const uint8_t *best_name = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < ps.n; i++) {
        const proto *p = &ps.v[i];
        for (size_t pc = 0; pc < p->ncode; pc++) {
            uint32_t ins;
            memcpy(&ins, p->code + 4 * pc, 4);
            if ((ins & 0x7f) != OP_SETUPVAL_54) continue;
            size_t b = (ins >> 16) & 0xff;
            if (!lasting(&ps, i, b)) continue;
            long line = line_of(p, pc);
            size_t len;
            const uint8_t *name = upvalue_name(p, b, &len);
            if (best_name == NULL || line < best_line) {
                best_line = line;
                best_name = name ? name : (const uint8_t *)"?";
                best_len = name ? len : 1;
            }
        }
    }
    free(ps.v);
    if (best_name == NULL) return 0;
    lua_pushinteger(L, best_line);
    lua_pushlstring(L, (const char *)best_name, best_len);
    return 2;
}

/* ---------- string.format without addresses ---------- */

/* format(fmt, ...): string.format (upvalue 1), but '%p' is refused and a table, function or userdata given
   to '%s' is printed by the prelude's tostring (upvalue 2), which numbers them instead of printing
   addresses. The conversions are found as string.format finds them (lstrlib.c's getformat). */
static int safe_format(lua_State *L) {
    size_t len;
    const char *f = luaL_checklstring(L, 1, &len);
    const char *end = f + len;
    int top = lua_gettop(L), arg = 1;
    for (const char *s = f; s < end; s++) {
        if (*s != '%') continue;
        if (s + 1 < end && s[1] == '%') { s++; continue; }
        arg++;
        s++;
        while (s < end && *s != 0 && strchr("-+#0 123456789.", *s) != NULL) s++;
        if (s >= end) break;
        if (*s == 'p')
            return luaL_error(L, "bad argument #%d to 'format' ('%%p' prints a memory address, which changes "
                              "from one run to the next; it is not available in policies)", arg);
        if (*s == 's' && arg <= top) {
            int t = lua_type(L, arg);
            if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD ||
                t == LUA_TLIGHTUSERDATA) {
                lua_pushvalue(L, lua_upvalueindex(2));
                lua_pushvalue(L, arg);
                lua_call(L, 1, 1);                     /* stack: ... text */
                lua_replace(L, arg);
            }
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);                                  /* stack: format fmt args... */
    lua_call(L, top, 1);                               /* stack: result */
    return 1;
}

/* make_format(string.format, tostring) -> the policy's string.format */
int kh_make_format_f(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    lua_pushcclosure(L, safe_format, 2);
    return 1;
}

/* ---------- describing values in messages ---------- */

void kh_push_key_text(lua_State *L, int idx) {
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: lua_pushvalue(L, idx); break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, idx));
        else lua_pushfstring(L, "%f", (LUAI_UACNUMBER)lua_tonumber(L, idx));
        break;
    case LUA_TBOOLEAN: lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false"); break;
    default: lua_pushfstring(L, "(a %s)", luaL_typename(L, idx));
    }
}

/* ---------- where an error was raised ---------- */

int kh_error_where(lua_State *L, char *buf, size_t size) {
    lua_Debug ar;
    buf[0] = 0;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 && strcmp(ar.source, "=kaohe/prelude") != 0) {
            snprintf(buf, size, "%s:%d", ar.short_src, ar.currentline);
            return 1;
        }
    }
    return 0;
}

/* error_location() -> "file:line" of the policy code running, or nil (test harness) */
int kh_error_location_f(lua_State *L) {
    char buf[320];
    if (!kh_error_where(L, buf, sizeof buf)) return 0;
    lua_pushstring(L, buf);
    return 1;
}

/* evaluation() -> a number that changes with every rule evaluation (tostring numbers values afresh) */
int kh_evaluation_f(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)kh_sb(L)->evaluation);
    return 1;
}
