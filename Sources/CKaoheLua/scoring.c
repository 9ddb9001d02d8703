/*
 * scoring.c — the per-unit rule loop and the per-evaluation globals.
 *
 * A policy's _ENV is an empty table E whose metatable ME sends reads to a scratch table S (whose own
 * metatable sends reads on to the frozen policy globals) and writes to S. When a rule wrote a global,
 * S is replaced before the next evaluation, so nothing a rule writes is seen by any other evaluation:
 * results do not depend on rule order, unit order or thread count.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "sandbox_internal.h"

int64_t kh_call_first(void *args);
int64_t kh_call_count(void *args);
double kh_call_seconds(void *args);
double *kh_call_points(void *args);
int64_t *kh_call_note_offsets(void *args);

/* __newindex of E: the write goes to the current scratch table. */
int kh_env_newindex(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    sb->scratch_dirty = 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->env_meta_ref);   /* stack: E k v ME */
    lua_getfield(L, -1, "__index");                        /* stack: E k v ME S */
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 3);
    lua_rawset(L, -3);                                     /* S[k] = v */
    return 0;
}

int kh_current_rule(lua_State *L) {
    lua_pushinteger(L, kh_sb(L)->cur_rule);
    return 1;
}

int kh_notes_wanted(lua_State *L) {
    lua_pushboolean(L, !kh_sb(L)->notes_off);
    return 1;
}

/* reset_scratch(): a fresh scratch table for the next evaluation (test harness). */
int kh_reset_scratch_f(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    sb->evaluation++;
    if (sb->scratch_dirty && sb->env_meta_ref != LUA_NOREF) kh_reset_scratch(L, sb);
    return 0;
}

void kh_reset_scratch(lua_State *L, kh_sandbox *sb) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->env_meta_ref);   /* stack: ME */
    lua_createtable(L, 0, 0);                              /* stack: ME S */
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->scratch_meta_ref);
    lua_setmetatable(L, -2);                               /* stack: ME S */
    lua_setfield(L, -2, "__index");                        /* stack: ME */
    lua_pop(L, 1);
    sb->scratch_dirty = 0;
}

#define KH_MAX_NOTE 8192

static void append_note(lua_State *L, kh_sandbox *sb, const char *s, size_t n) {
    if (sb->notes_len + n > sb->notes_cap) {
        size_t cap = sb->notes_cap ? sb->notes_cap : 4096;
        while (cap < sb->notes_len + n) cap *= 2;
        uint8_t *p = realloc(sb->notes, cap);
        if (!p) luaL_error(L, "out of host memory for notes");
        sb->notes = p;
        sb->notes_cap = cap;
    }
    memcpy(sb->notes + sb->notes_len, s, n);
    sb->notes_len += n;
}

/* Evaluates rule r for unit u, leaving points and note at stack indices 3 and 4 (stack: rules params). */
static void evaluate(lua_State *L, kh_sandbox *sb, int r, int64_t u, double seconds) {
    if (sb->scratch_dirty) kh_reset_scratch(L, sb);
    sb->evaluation++;
    sb->cur_rule = r;
    sb->cur_unit = u;
    lua_rawgeti(L, 1, r + 1);                          /* stack: rules params fn */
    kh_push_unit(L, u);
    lua_rawgeti(L, 2, r + 1);                          /* stack: rules params fn unit p */
    lua_rawgeti(L, 2, 0);                              /* stack: rules params fn unit p shared */
    kh_arm(sb, seconds);
    lua_call(L, 3, 2);                                 /* stack: rules params points note */
    if (!kh_disarm(sb)) {
        lua_pushlightuserdata(L, (void *)&kh_limit_sentinel);
        lua_error(L);
    }
}

/* Runs every rule for units [first, first+count). Raises on the first failure, with cur_rule/cur_unit
   telling the host where. Each evaluation runs under its own deadline. */
int kh_score_units_p(lua_State *L) {
    void *args = lua_touserdata(L, 1);
    kh_sandbox *sb = kh_sb(L);
    int64_t first = kh_call_first(args), count = kh_call_count(args);
    double seconds = kh_call_seconds(args);
    double *points = kh_call_points(args);
    int64_t *offsets = kh_call_note_offsets(args);
    int nrules = sb->nrules, first_veto = sb->nrules - sb->nvetoes;
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->rules_ref);      /* stack: rules */
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->params_ref);     /* stack: rules params */
    int64_t slot = 0;
    for (int64_t u = first; u < first + count; u++) {
        for (int r = 0; r < nrules; r++, slot++) {
            evaluate(L, sb, r, u, seconds);                /* stack: rules params points note */
            lua_Number v;
            if (r >= first_veto) {
                /* a veto: true (vetoed) or false, kept as 1 or 0 */
                if (lua_type(L, 3) != LUA_TBOOLEAN) {
                    lua_pushfstring(L, "returned %s instead of true (vetoed) or false", luaL_typename(L, 3));
                    return kh_raise_coded(L, sb, "veto.result");
                }
                v = lua_toboolean(L, 3) ? 1.0 : 0.0;
            } else {
                int isnum = 0;
                v = lua_tonumberx(L, 3, &isnum);
                if (lua_type(L, 3) != LUA_TNUMBER || !isnum) {
                    lua_pushfstring(L, "returned %s instead of a number of points", luaL_typename(L, 3));
                    return kh_raise_coded(L, sb, "rule.result");
                }
                if (!isfinite(v)) {
                    lua_pushstring(L, "returned a number of points that is not finite");
                    return kh_raise_coded(L, sb, "rule.result");
                }
            }
            points[slot] = v;
            offsets[slot] = (int64_t)sb->notes_len;
            int nt = lua_type(L, 4);
            if (nt == LUA_TSTRING && ((sb->notes_off && r < first_veto) || sb->notes_over)) {
                /* a report without notes keeps none (a policy may return them anyway; a veto's note, its
                   reason, is always kept), and past the budget the host is told and fails the run */
            } else if (nt == LUA_TSTRING) {
                size_t n;
                const char *s = lua_tolstring(L, 4, &n);
                if (sb->notes_len + (n > KH_MAX_NOTE ? KH_MAX_NOTE : n) > KH_NOTES_BUDGET) {
                    sb->notes_over = 1;
                    lua_settop(L, 2);                      /* stack: rules params */
                    continue;
                }
                /* the host keeps every note of every unit: a policy returning megabytes per note would
                   exhaust the host's memory, which the Lua memory cap does not cover. A longer note is cut
                   (at a character boundary) and ends with "…", whatever the format, so it never fails a run
                   that shows notes while the same run without them passes. */
                if (n > KH_MAX_NOTE) {
                    static const char ellipsis[] = "\xE2\x80\xA6";
                    size_t keep = KH_MAX_NOTE - (sizeof ellipsis - 1);
                    while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80) keep--;
                    append_note(L, sb, s, keep);
                    append_note(L, sb, ellipsis, sizeof ellipsis - 1);
                } else {
                    append_note(L, sb, s, n);
                }
            } else if (nt != LUA_TNIL) {
                lua_pushfstring(L, "returned a %s as its note; a note must be a string or nil", luaL_typename(L, 4));
                return kh_raise_coded(L, sb, "rule.result");
            }
            lua_settop(L, 2);                              /* stack: rules params */
        }
    }
    offsets[slot] = (int64_t)sb->notes_len;
    return 0;
}
