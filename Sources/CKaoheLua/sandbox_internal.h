/* Internal declarations shared by the C files of the sandbox core. */
#ifndef KH_SANDBOX_INTERNAL_H
#define KH_SANDBOX_INTERNAL_H

#include <stdatomic.h>
#include <pthread.h>
#include "ckaohelua.h"
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

struct kh_sandbox {
    lua_State *L;
    size_t used;                 /* bytes currently allocated by Lua */
    size_t limit;                /* memory cap in bytes */
    _Atomic int tripped;         /* 0, KH_ERR_TIME or KH_ERR_MEMORY */
    _Atomic int64_t deadline_ns; /* 0 = no evaluation running under a time budget */
    pthread_mutex_t lock;        /* orders the watchdog's trip against the host's reset */

    const char *mark_code;       /* the code of the error kh_raise_coded raised last (a static string), */
    char *mark_msg;              /* and its message: the call's error has the code only when it is that one */
    const char *error_code;      /* the code of the last failed call's error, or NULL */
    char trip_source[256];       /* where the script was when a limit tripped */
    int trip_line;
    int32_t fail_rule;           /* rule / unit being scored when a call failed, -1 otherwise */
    int64_t fail_unit;
    int32_t cur_rule;
    int64_t cur_unit;

    char *errmsg;                /* last error message (malloc, outside the Lua heap) */
    char *result;                /* last string result (malloc) */
    size_t result_len;

    int host_ref;                /* the prelude's host table */
    int prelude_ref;             /* while the prelude loads: the parts' internal table */
    char *diagnostics;           /* the last refused policy's problems as JSON records (malloc) */
    size_t diagnostics_len;
    int rules_ref;               /* array of rule score functions */
    int params_ref;              /* array of (frozen) rule params */
    int env_meta_ref;            /* metatable of the policy's _ENV */
    int scratch_meta_ref;        /* metatable of each per-evaluation scratch table */
    int32_t nrules;              /* score functions: the rules', then the vetoes' */
    int32_t nvetoes;             /* the last nvetoes of them are vetoes: they return true or false */
    kh_host_call_fn host_call;   /* the host's function for the test harness (ranking), or NULL */
    void *host_ctx;
    int scratch_dirty;           /* a rule wrote a global since the last reset */
    uint64_t evaluation;         /* counts evaluations: tostring numbers tables afresh in each */
    char err_where[320];         /* "file:line" where a non-string error value was raised */

    const kh_dataset *ds;
    const char ***colnames;      /* [table][column]: interned Lua strings of column names (pointer compare) */
    int colnames_ref;            /* anchors those strings */
    int data_ready;

    uint8_t *notes;              /* note bytes of the last kh_score_units (malloc) */
    size_t notes_len, notes_cap;

    int trace;
    int notes_off;               /* reports will not show notes: helpers may skip them, none are kept */
    int notes_over;              /* the last kh_score_units' notes passed KH_NOTES_BUDGET (the rest were dropped) */
    kh_access *acc;
    size_t nacc, acc_cap;

    struct kh_sandbox *wd_next;  /* watchdog list */
    struct kh_sandbox *wd_prev;
};

/* The sandbox that owns a state (stored in the state's extra space). */
static inline kh_sandbox *kh_sb(lua_State *L) { return *(kh_sandbox **)lua_getextraspace(L); }

/* The error value the hook raises once a limit has tripped. Scripts cannot forge it. */
extern const char kh_limit_sentinel;

int64_t kh_now_ns(void);
void kh_arm(kh_sandbox *sb, double seconds);
/* Returns 0 when the watchdog took the deadline first (the evaluation ran out of time). */
int kh_disarm(kh_sandbox *sb);
void kh_watchdog_register(kh_sandbox *sb);
void kh_watchdog_unregister(kh_sandbox *sb);
void kh_hook(lua_State *L, lua_Debug *ar);
int kh_interrupted(lua_State *L);

/* dataview.c: data values are light userdata encoding (kind, table, index):
   bits 0-1 kind, bits 2-9 table index, bits 10-63 unit or row index. */
enum { KIND_UNIT = 1, KIND_LIST = 2, KIND_ROW = 3 };
typedef struct decoded { int kind; int table; int64_t index; } decoded;
static inline void *encode(int kind, int table, int64_t index) {
    return (void *)(((uintptr_t)index << 10) | ((uintptr_t)table << 2) | (uintptr_t)kind);
}
decoded kh_decode(lua_State *L, int idx);   /* raises unless idx holds a data value */
const char *kh_kind_name(int kind);
/* Adds a table's column names, comma-separated, to b (for "it has: …" in error messages). */
void kh_add_column_names(luaL_Buffer *b, const kh_table *tab);
void kh_push_cell(lua_State *L, kh_sandbox *sb, int t, int64_t row, int c);
void kh_record_access(kh_sandbox *sb, int t, int64_t row, int c);

void kh_push_unit(lua_State *L, int64_t unit);
int kh_dataview_setup(lua_State *L);  /* lua_CFunction: sets the metatable of light userdata */
int kh_rows(lua_State *L);            /* rows(list) -> array of row handles */
void kh_dataview_free(kh_sandbox *sb);

/* fastpath.c: helpers that scan a unit's rows in C (count, count_by, sum, tier_sum) */
void kh_register_fastpath(lua_State *L, int idx);

/* freeze.c: read-only tables, upvalue writes, a fixed order of keys, string.format without addresses */
void kh_push_frozen_maps(lua_State *L);          /* pushes the shadows and views maps (for the prelude) */
/* Pushes the table holding the contents of the value at idx (the shadow of a read-only table, the table a
   view wraps, else the value) and returns whether reading it raw is reading the value. */
int kh_see_through(lua_State *L, int idx);
int kh_see_through_f(lua_State *L);
int kh_len_of_f(lua_State *L);
int kh_sorted_keys_f(lua_State *L);
int kh_next_f(lua_State *L);
int kh_upvalue_writes_f(lua_State *L);
int kh_make_format_f(lua_State *L);
int kh_error_location_f(lua_State *L);
int kh_evaluation_f(lua_State *L);
/* Pushes a description of a key for messages: strings and numbers as they are, other values by type
   (never an address). */
void kh_push_key_text(lua_State *L, int idx);
/* Writes "file:line" of the innermost policy code on the stack into buf; 0 when there is none. */
int kh_error_where(lua_State *L, char *buf, size_t size);

/* scoring.c */
int kh_score_units_p(lua_State *L);   /* lua_CFunction run in protected mode */
void kh_reset_scratch(lua_State *L, kh_sandbox *sb);
int kh_env_newindex(lua_State *L);
int kh_current_rule(lua_State *L);
int kh_notes_wanted(lua_State *L);
int kh_reset_scratch_f(lua_State *L);

/* Raises the message at the top of the stack as an error with a stable code ("rule.result",
   "data.unknown-column"), so that the host classifies it without reading its words. A policy's pcall can
   catch it; the code holds only when the call fails with exactly this message. */
int kh_raise_coded(lua_State *L, kh_sandbox *sb, const char *code);

#endif
