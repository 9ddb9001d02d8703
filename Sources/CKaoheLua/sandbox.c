/*
 * sandbox.c — life cycle of a sandboxed lua_State: the capped allocator, the watchdog that enforces
 * time budgets, the hook that keeps raising once a limit has tripped, and the protected entry points.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>
#include <math.h>
#include "sandbox_internal.h"
#include "kh_pattern.h"

#define KH_DEFAULT_MEMORY ((size_t)64 << 20)

const char kh_limit_sentinel = 0;

/* ---------- memory ---------- */

static void kh_trip(kh_sandbox *sb, int kind) {
    int expected = 0;
    if (atomic_compare_exchange_strong(&sb->tripped, &expected, kind) && sb->L != NULL)
        lua_sethook(sb->L, kh_hook, LUA_MASKCOUNT, 1);
}

/* lua_Alloc with a cap. When ptr is NULL, osize encodes the object type, not a size. */
static void *kh_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    kh_sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sb->used -= old;
        return NULL;
    }
    if (nsize > old && sb->used + (nsize - old) > sb->limit) {
        kh_trip(sb, KH_ERR_MEMORY);
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    sb->used = sb->used - old + nsize;
    return p;
}

size_t kh_memory_used(const kh_sandbox *sb) { return sb->used; }
size_t kh_memory_limit(const kh_sandbox *sb) { return sb->limit; }
void kh_set_memory_limit(kh_sandbox *sb, size_t bytes) { sb->limit = bytes ? bytes : KH_DEFAULT_MEMORY; }

/* ---------- time: watchdog + hook ---------- */

static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static kh_sandbox *wd_list = NULL;
static pthread_once_t wd_once = PTHREAD_ONCE_INIT;

int64_t kh_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void kh_arm(kh_sandbox *sb, double seconds) {
    int64_t budget = (int64_t)(seconds * 1e9);
    if (budget < 1) budget = 1;
    atomic_store(&sb->deadline_ns, kh_now_ns() + budget);
}

int kh_disarm(kh_sandbox *sb) {
    int64_t d = atomic_load(&sb->deadline_ns);
    if (d == 0) return 0;
    return atomic_compare_exchange_strong(&sb->deadline_ns, &d, 0);
}

/* Every 5 ms: a sandbox whose deadline has passed gets tripped. Taking the deadline with a CAS means
   the host's kh_disarm can tell whether it finished in time. */
static void *wd_main(void *arg) {
    (void)arg;
    struct timespec pause = {0, 5 * 1000000L};
    for (;;) {
        nanosleep(&pause, NULL);
        int64_t now = kh_now_ns();
        pthread_mutex_lock(&wd_lock);
        for (kh_sandbox *sb = wd_list; sb != NULL; sb = sb->wd_next) {
            int64_t d = atomic_load(&sb->deadline_ns);
            if (d != 0 && now > d) {
                pthread_mutex_lock(&sb->lock);
                if (atomic_compare_exchange_strong(&sb->deadline_ns, &d, 0))
                    kh_trip(sb, KH_ERR_TIME);
                pthread_mutex_unlock(&sb->lock);
            }
        }
        pthread_mutex_unlock(&wd_lock);
    }
    return NULL;
}

static void wd_start(void) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&t, &attr, wd_main, NULL);
    pthread_attr_destroy(&attr);
}

void kh_watchdog_register(kh_sandbox *sb) {
    pthread_once(&wd_once, wd_start);
    pthread_mutex_lock(&wd_lock);
    sb->wd_next = wd_list;
    sb->wd_prev = NULL;
    if (wd_list) wd_list->wd_prev = sb;
    wd_list = sb;
    pthread_mutex_unlock(&wd_lock);
}

void kh_watchdog_unregister(kh_sandbox *sb) {
    pthread_mutex_lock(&wd_lock);
    if (sb->wd_prev) sb->wd_prev->wd_next = sb->wd_next; else wd_list = sb->wd_next;
    if (sb->wd_next) sb->wd_next->wd_prev = sb->wd_prev;
    pthread_mutex_unlock(&wd_lock);
}

/* Once a limit has tripped, this hook runs before every instruction and raises again, so a script's
   pcall cannot swallow the stop: the next instruction after the pcall raises anew. */
void kh_hook(lua_State *L, lua_Debug *ar) {
    kh_sandbox *sb = kh_sb(L);
    if (!atomic_load(&sb->tripped)) {   /* a late arm from a finished evaluation */
        lua_sethook(L, NULL, 0, 0);
        return;
    }
    if (sb->trip_line == 0 && lua_getinfo(L, "Sl", ar)) {
        snprintf(sb->trip_source, sizeof sb->trip_source, "%s", ar->short_src);
        sb->trip_line = ar->currentline > 0 ? ar->currentline : -1;
    }
    lua_pushlightuserdata(L, (void *)&kh_limit_sentinel);
    lua_error(L);
}

int kh_interrupted(lua_State *L) { return atomic_load(&kh_sb(L)->tripped) != 0; }

/* ---------- life cycle ---------- */

kh_sandbox *kh_sandbox_new(size_t memory_limit) {
    kh_sandbox *sb = calloc(1, sizeof *sb);
    if (!sb) return NULL;
    sb->limit = memory_limit ? memory_limit : KH_DEFAULT_MEMORY;
    sb->fail_rule = -1;
    sb->fail_unit = -1;
    sb->host_ref = sb->rules_ref = sb->params_ref = LUA_NOREF;
    sb->prelude_ref = LUA_NOREF;
    sb->env_meta_ref = sb->scratch_meta_ref = LUA_NOREF;
    sb->colnames_ref = LUA_NOREF;
    pthread_mutex_init(&sb->lock, NULL);
    lua_State *L = lua_newstate(kh_alloc, sb);
    if (!L) { free(sb); return NULL; }
    sb->L = L;
    *(kh_sandbox **)lua_getextraspace(L) = sb;
    /* generational collection: rules make many short-lived tables and strings (filters, tallies, labels);
       a memory cap still holds, as an allocation the cap refuses runs a full emergency collection first */
    lua_gc(L, LUA_GCGEN, 0, 0);
    kh_watchdog_register(sb);
    return sb;
}

void kh_sandbox_free(kh_sandbox *sb) {
    if (!sb) return;
    kh_watchdog_unregister(sb);
    lua_close(sb->L);
    pthread_mutex_destroy(&sb->lock);
    free(sb->errmsg);
    free(sb->mark_msg);
    free(sb->result);
    free(sb->diagnostics);
    free(sb->notes);
    free(sb->acc);
    kh_dataview_free(sb);
    free(sb);
}

/* ---------- errors and results ---------- */

static void set_text(char **dst, const char *s, size_t n) {
    free(*dst);
    *dst = malloc(n + 1);
    if (*dst) { memcpy(*dst, s, n); (*dst)[n] = 0; }
}

static void set_error(kh_sandbox *sb, const char *msg) { set_text(&sb->errmsg, msg, strlen(msg)); }

const char *kh_error_message(const kh_sandbox *sb) { return sb->errmsg ? sb->errmsg : ""; }
const char *kh_error_code(const kh_sandbox *sb) { return sb->error_code ? sb->error_code : ""; }

int kh_raise_coded(lua_State *L, kh_sandbox *sb, const char *code) {
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    set_text(&sb->mark_msg, s ? s : "", s ? n : 0);
    sb->mark_code = code;
    return lua_error(L);
}
const char *kh_trip_source(const kh_sandbox *sb) { return sb->trip_source; }
int kh_trip_line(const kh_sandbox *sb) { return sb->trip_line; }
int32_t kh_trip_rule(const kh_sandbox *sb) { return sb->fail_rule; }
int64_t kh_trip_unit(const kh_sandbox *sb) { return sb->fail_unit; }
int32_t kh_rule_count(const kh_sandbox *sb) { return sb->nrules; }
int32_t kh_veto_count(const kh_sandbox *sb) { return sb->nvetoes; }

const char *kh_result(const kh_sandbox *sb, size_t *len) {
    if (len) *len = sb->result_len;
    return sb->result ? sb->result : "";
}

/* Copies the error value at the top of the stack, then pops it. A value that is not a message (a table
   given to error()) is described by its type and where it was raised; its __tostring is not called (it is
   policy code, and no time limit runs here). */
static void take_error(kh_sandbox *sb) {
    lua_State *L = sb->L;
    int t = lua_type(L, -1);
    if (t == LUA_TSTRING) {
        size_t n;
        const char *s = lua_tolstring(L, -1, &n);
        set_text(&sb->errmsg, s, n);
    } else if (t == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == &kh_limit_sentinel) {
        set_error(sb, "limit reached");
    } else {
        char buf[512];
        const char *what = lua_typename(L, t);
        if (t == LUA_TNUMBER)
            snprintf(buf, sizeof buf, "%s%serror() was given the number %.14g, not a message; give it a string, "
                     "e.g. error(\"...\")", sb->err_where, sb->err_where[0] ? ": " : "", lua_tonumber(L, -1));
        else
            snprintf(buf, sizeof buf, "%s%serror() was given a %s value, not a message; give it a string, "
                     "e.g. error(\"...\")", sb->err_where, sb->err_where[0] ? ": " : "", what);
        set_error(sb, buf);
    }
    lua_pop(L, 1);
}

/* Message handler of every protected call: for an error value that is not a message, notes where the policy
   raised it (the stack is still there). Returns the value unchanged. */
static int msgh(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    int t = lua_type(L, 1);
    if (t != LUA_TSTRING && !(t == LUA_TLIGHTUSERDATA && lua_touserdata(L, 1) == &kh_limit_sentinel))
        kh_error_where(L, sb->err_where, sizeof sb->err_where);
    lua_settop(L, 1);
    return 1;
}

/* After any failure: stop the hook, clear the trip (under the lock, so a late watchdog cannot re-trip),
   and collect the garbage the script left so the state can be used again. */
static void reset_limits(kh_sandbox *sb) {
    pthread_mutex_lock(&sb->lock);
    atomic_store(&sb->deadline_ns, 0);
    atomic_store(&sb->tripped, 0);
    lua_sethook(sb->L, NULL, 0, 0);
    pthread_mutex_unlock(&sb->lock);
    lua_gc(sb->L, LUA_GCCOLLECT, 0);
}

typedef struct call_args {
    kh_sandbox *sb;
    const char *only;
    const char *src;
    size_t len;
    const char *chunkname;
    double seconds;
    int syntax_error;          /* set by the callee when the failure is a compile error */
    int64_t first, count;
    double *points;
    int64_t *note_offsets;
} call_args;

/* Runs f(args) in protected mode and classifies the outcome. */
static int run_protected(kh_sandbox *sb, lua_CFunction f, call_args *args) {
    lua_State *L = sb->L;
    int top = lua_gettop(L);
    sb->trip_line = 0;
    sb->trip_source[0] = 0;
    sb->fail_rule = -1;
    sb->fail_unit = -1;
    sb->err_where[0] = 0;
    sb->mark_code = NULL;
    sb->error_code = NULL;
    sb->evaluation++;
    lua_pushcfunction(L, msgh);            /* stack: msgh */
    lua_pushcfunction(L, f);               /* stack: msgh f */
    lua_pushlightuserdata(L, args);        /* stack: msgh f args */
    int status = lua_pcall(L, 1, 0, top + 1);   /* stack: msgh [err] */
    if (status == LUA_OK) {
        lua_settop(L, top);
        return KH_OK;
    }
    int tripped = atomic_load(&sb->tripped);
    take_error(sb);                        /* stack: (empty) */
    if (sb->mark_code && sb->mark_msg && sb->errmsg && strcmp(sb->mark_msg, sb->errmsg) == 0) sb->error_code = sb->mark_code;
    lua_settop(L, top);
    int code;
    if (tripped == KH_ERR_TIME || tripped == KH_ERR_MEMORY) code = tripped;
    else if (status == LUA_ERRMEM) code = KH_ERR_MEMORY;
    else if (args->syntax_error) code = KH_ERR_SYNTAX;
    else code = KH_ERR_RUNTIME;
    if (code == KH_ERR_TIME && strcmp(kh_error_message(sb), "limit reached") == 0)
        set_error(sb, "time budget exceeded");
    if (code == KH_ERR_MEMORY) set_error(sb, "memory limit exceeded");
    reset_limits(sb);
    return code;
}

/* Stores the string at the top of the stack as the call's result and pops it. */
static void take_result(kh_sandbox *sb, lua_State *L) {
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    set_text(&sb->result, s ? s : "", s ? n : 0);
    sb->result_len = s ? n : 0;
    lua_pop(L, 1);
}

/* ---------- prelude ---------- */

/* Pops the value at the top of the stack into the registry slot *ref (freeing what it held). */
static void set_ref(lua_State *L, int *ref) {
    luaL_unref(L, LUA_REGISTRYINDEX, *ref);
    *ref = luaL_ref(L, LUA_REGISTRYINDEX);
}


/* The standard library minus io, os, package and coroutine (debug only while the prelude loads), and the
   parts' internal table K with the C primitives as K.P. */
void kh_set_host_call(kh_sandbox *sb, kh_host_call_fn fn, void *ctx) {
    sb->host_call = fn;
    sb->host_ctx = ctx;
}

/* P.host_call(text) -> text | nil: the host's answer (the test harness's rank { ... }). */
static int host_call_f(lua_State *L) {
    kh_sandbox *sb = kh_sb(L);
    size_t n;
    const char *in = luaL_checklstring(L, 1, &n);
    if (!sb->host_call) return 0;
    size_t out_len = 0;
    const char *out = sb->host_call(sb->host_ctx, in, n, &out_len);
    if (!out) return 0;
    lua_pushlstring(L, out, out_len);   /* the host owns `out` (until its next call): nothing leaks if this raises */
    return 1;
}

static int prelude_begin_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    kh_sandbox *sb = a->sb;
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_DBLIBNAME, luaopen_debug, 1);
    kh_pattern_register(L, -4);            /* string table: budgeted find/match/gmatch/gsub */
    lua_settop(L, 1);                      /* stack: args */
    static const luaL_Reg primitives[] = {
        { "env_newindex", kh_env_newindex },
        { "dataview_setup", kh_dataview_setup },
        { "current_rule", kh_current_rule },
        { "notes_wanted", kh_notes_wanted },
        { "rows", kh_rows },
        { "reset_scratch", kh_reset_scratch_f },
        { "see_through", kh_see_through_f },
        { "len_of", kh_len_of_f },
        { "sorted_keys", kh_sorted_keys_f },
        { "next", kh_next_f },
        { "upvalue_writes", kh_upvalue_writes_f },
        { "make_format", kh_make_format_f },
        { "error_location", kh_error_location_f },
        { "evaluation", kh_evaluation_f },
        { "host_call", host_call_f },
        { NULL, NULL },
    };
    lua_createtable(L, 0, 32);             /* stack: args K */
    lua_createtable(L, 0, 24);             /* stack: args K P */
    luaL_setfuncs(L, primitives, 0);
    kh_register_fastpath(L, -1);
    kh_push_frozen_maps(L);                /* stack: args K P shadows views */
    lua_setfield(L, -3, "views");
    lua_setfield(L, -2, "shadows");        /* stack: args K P */
    lua_setfield(L, -2, "P");              /* stack: args K */
    set_ref(L, &sb->prelude_ref);          /* stack: args */
    return 0;
}

/* Runs one part as its own chunk, "=kaohe/prelude" like every part (the freezer and the error locations
   know prelude functions by it), with K as its argument. A failure names the part. */
static int prelude_part_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    kh_sandbox *sb = a->sb;
    if (sb->prelude_ref == LUA_NOREF) luaL_error(L, "the prelude has not begun");
    if (luaL_loadbufferx(L, a->src, a->len, "=kaohe/prelude", "t") != LUA_OK)
        luaL_error(L, "prelude part '%s': %s", a->chunkname, lua_tostring(L, -1));
    /* stack: args part */
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->prelude_ref);   /* stack: args part K */
    if (lua_pcall(L, 1, 0, 0) != LUA_OK)                  /* stack: args [err] */
        luaL_error(L, "prelude part '%s': %s", a->chunkname, lua_tostring(L, -1));
    return 0;
}

/* Keeps K.H, the host functions, drops K, and wipes the full global table. */
static int prelude_end_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    kh_sandbox *sb = a->sb;
    if (sb->prelude_ref == LUA_NOREF) luaL_error(L, "the prelude has not begun");
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->prelude_ref);   /* stack: args K */
    lua_getfield(L, -1, "H");                             /* stack: args K H */
    luaL_checktype(L, -1, LUA_TTABLE);
    sb->host_ref = luaL_ref(L, LUA_REGISTRYINDEX);        /* stack: args K */
    lua_pop(L, 1);                                        /* stack: args */
    luaL_unref(L, LUA_REGISTRYINDEX, sb->prelude_ref);
    sb->prelude_ref = LUA_NOREF;
    /* Defence in depth: nothing of the full global table stays reachable. */
    lua_pushglobaltable(L);                /* stack: args _G */
    lua_pushnil(L);
    while (lua_next(L, -2)) {              /* stack: args _G k v */
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, -4);                 /* _G[k] = nil; stack: args _G k */
    }
    lua_pop(L, 1);
    return 0;
}

int kh_prelude_begin(kh_sandbox *sb) {
    call_args a = {0};
    a.sb = sb;
    return run_protected(sb, prelude_begin_p, &a);
}

int kh_prelude_part(kh_sandbox *sb, const char *name, const char *src, size_t len) {
    call_args a = {0};
    a.sb = sb; a.chunkname = name; a.src = src; a.len = len;
    return run_protected(sb, prelude_part_p, &a);
}

int kh_prelude_end(kh_sandbox *sb) {
    call_args a = {0};
    a.sb = sb;
    return run_protected(sb, prelude_end_p, &a);
}

static void push_host(lua_State *L, kh_sandbox *sb, const char *field) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->host_ref);   /* stack: H */
    lua_getfield(L, -1, field);                        /* stack: H H[field] */
    lua_remove(L, -2);                                 /* stack: H[field] */
}

/* ---------- policy ---------- */

static int policy_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    kh_sandbox *sb = a->sb;
    if (sb->host_ref == LUA_NOREF) luaL_error(L, "the prelude is not loaded");
    push_host(L, sb, "load");                         /* stack: args load */
    lua_pushlstring(L, a->src, a->len);
    lua_pushstring(L, a->chunkname);
    lua_pushboolean(L, sb->trace);                    /* stack: args load src name trace */
    kh_arm(sb, a->seconds);
    lua_call(L, 3, 6);                                /* stack: args json fns params ME MS nv | nil kind msg diag _ _ */
    if (!kh_disarm(sb)) {
        lua_pushlightuserdata(L, (void *)&kh_limit_sentinel);
        lua_error(L);
    }
    if (lua_isnil(L, 2)) {
        if (lua_type(L, 3) == LUA_TSTRING && strcmp(lua_tostring(L, 3), "syntax") == 0) a->syntax_error = 1;
        if (lua_type(L, 5) == LUA_TSTRING) {          /* the problems as JSON records */
            size_t n;
            const char *d = lua_tolstring(L, 5, &n);
            set_text(&sb->diagnostics, d, n);
            sb->diagnostics_len = sb->diagnostics ? n : 0;
        }
        lua_pushvalue(L, 4);
        lua_error(L);
    }
    sb->nrules = (int32_t)lua_rawlen(L, 3);
    sb->nvetoes = (int32_t)lua_tointeger(L, 7);
    lua_pop(L, 1);                                   /* stack: args json fns params ME MS */
    set_ref(L, &sb->scratch_meta_ref);               /* pops MS */
    set_ref(L, &sb->env_meta_ref);                   /* pops ME */
    set_ref(L, &sb->params_ref);
    set_ref(L, &sb->rules_ref);                       /* stack: args json */
    take_result(sb, L);
    sb->scratch_dirty = 0;
    return 0;
}

int kh_load_policy(kh_sandbox *sb, const char *src, size_t len, const char *chunkname, double seconds) {
    free(sb->diagnostics);
    sb->diagnostics = NULL;
    sb->diagnostics_len = 0;
    call_args a = {0};
    a.sb = sb; a.src = src; a.len = len; a.chunkname = chunkname; a.seconds = seconds;
    return run_protected(sb, policy_p, &a);
}

const char *kh_diagnostics(const kh_sandbox *sb, size_t *len) {
    if (len) *len = sb->diagnostics_len;
    return sb->diagnostics ? sb->diagnostics : "";
}

static int global_names_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    push_host(L, a->sb, "global_names");              /* stack: args global_names */
    lua_call(L, 0, 1);                                /* stack: args json */
    take_result(a->sb, L);                            /* stack: args */
    return 0;
}

int kh_global_names(kh_sandbox *sb) {
    if (sb->host_ref == LUA_NOREF) {
        set_error(sb, "the prelude is not loaded");
        return KH_ERR_HOST;
    }
    call_args a = {0};
    a.sb = sb;
    return run_protected(sb, global_names_p, &a);
}

/* ---------- data, scoring, tracing ---------- */

static int attach_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    kh_sandbox *sb = a->sb;
    lua_pushcfunction(L, kh_dataview_setup);
    lua_call(L, 0, 0);
    sb->data_ready = 1;
    return 0;
}

int kh_attach_dataset(kh_sandbox *sb, const kh_dataset *ds) {
    call_args a = {0};
    a.sb = sb;
    sb->ds = ds;
    sb->data_ready = 0;
    return run_protected(sb, attach_p, &a);
}

static int score_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_pushlightuserdata(L, a);
    return kh_score_units_p(L);
}

int kh_score_units(kh_sandbox *sb, int64_t first, int64_t count, double seconds,
                   double *points, int64_t *note_offsets) {
    if (!sb->data_ready || sb->rules_ref == LUA_NOREF) {
        set_error(sb, "no policy or no data attached");
        return KH_ERR_HOST;
    }
    call_args a = {0};
    a.sb = sb; a.first = first; a.count = count; a.seconds = seconds;
    a.points = points; a.note_offsets = note_offsets;
    sb->notes_len = 0;
    sb->notes_over = 0;
    int status = run_protected(sb, score_p, &a);
    if (status != KH_OK) {
        sb->fail_rule = sb->cur_rule;
        sb->fail_unit = sb->cur_unit;
        sb->scratch_dirty = 1;   /* a failed evaluation may have left globals behind: reset next time */
    }
    return status;
}

/* Accessors used by scoring.c to read a score call's arguments. */
int64_t kh_call_first(void *args) { return ((call_args *)args)->first; }
int64_t kh_call_count(void *args) { return ((call_args *)args)->count; }
double kh_call_seconds(void *args) { return ((call_args *)args)->seconds; }
double *kh_call_points(void *args) { return ((call_args *)args)->points; }
int64_t *kh_call_note_offsets(void *args) { return ((call_args *)args)->note_offsets; }

const uint8_t *kh_note_bytes(const kh_sandbox *sb, size_t *len) {
    *len = sb->notes_len;
    return sb->notes;
}

void kh_set_notes(kh_sandbox *sb, int on) { sb->notes_off = !on; }

int kh_notes_over(const kh_sandbox *sb) { return sb->notes_over; }

void kh_set_trace(kh_sandbox *sb, int on) { sb->trace = on; sb->nacc = 0; }

const kh_access *kh_trace_accesses(const kh_sandbox *sb, size_t *count) {
    *count = sb->nacc;
    return sb->acc;
}

static int trace_params_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    push_host(L, a->sb, "trace_json");
    lua_call(L, 0, 1);
    take_result(a->sb, L);
    return 0;
}

int kh_trace_params(kh_sandbox *sb) {
    call_args a = {0};
    a.sb = sb;
    return run_protected(sb, trace_params_p, &a);
}

/* ---------- eval (tests and `kaohe eval`-style probes) ---------- */

static int eval_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    kh_sandbox *sb = a->sb;
    push_host(L, sb, "eval");                          /* stack: args eval */
    lua_pushlstring(L, a->src, a->len);
    lua_pushstring(L, a->chunkname);                   /* stack: args eval src name */
    kh_arm(sb, a->seconds);
    lua_call(L, 2, 3);                                 /* stack: args ok kind text */
    if (!kh_disarm(sb)) {
        lua_pushlightuserdata(L, (void *)&kh_limit_sentinel);
        lua_error(L);
    }
    if (!lua_toboolean(L, 2)) {
        if (lua_type(L, 3) == LUA_TSTRING && strcmp(lua_tostring(L, 3), "syntax") == 0) a->syntax_error = 1;
        lua_pushvalue(L, 4);
        lua_error(L);
    }
    lua_pushvalue(L, 4);
    take_result(sb, L);
    return 0;
}

int kh_eval(kh_sandbox *sb, const char *src, size_t len, const char *chunkname, double seconds) {
    call_args a = {0};
    a.sb = sb; a.src = src; a.len = len; a.chunkname = chunkname; a.seconds = seconds;
    return run_protected(sb, eval_p, &a);
}

/* ---------- policy tests ---------- */

static int tests_p(lua_State *L) {
    call_args *a = lua_touserdata(L, 1);
    kh_sandbox *sb = a->sb;
    push_host(L, sb, "run_tests");                     /* stack: args run_tests */
    lua_pushlstring(L, a->src, a->len);
    lua_pushstring(L, a->chunkname);
    lua_pushstring(L, a->only);                        /* stack: args run_tests src name only */
    kh_arm(sb, a->seconds);
    lua_call(L, 3, 3);                                 /* stack: args json | nil kind msg */
    if (!kh_disarm(sb)) {
        lua_pushlightuserdata(L, (void *)&kh_limit_sentinel);
        lua_error(L);
    }
    if (lua_isnil(L, 2)) {
        if (lua_type(L, 3) == LUA_TSTRING && strcmp(lua_tostring(L, 3), "syntax") == 0) a->syntax_error = 1;
        lua_pushvalue(L, 4);
        lua_error(L);
    }
    lua_settop(L, 2);
    take_result(sb, L);
    return 0;
}

int kh_run_tests(kh_sandbox *sb, const char *src, size_t len, const char *chunkname, const char *only,
                 double seconds) {
    call_args a = {0};
    a.sb = sb; a.src = src; a.len = len; a.chunkname = chunkname; a.only = only; a.seconds = seconds;
    return run_protected(sb, tests_p, &a);
}

const char *kh_lua_release(void) { return LUA_RELEASE; }
