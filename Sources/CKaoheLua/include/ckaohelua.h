/*
 * ckaohelua.h — the C core of kaohe's Lua sandbox.
 *
 * Everything that can raise a Lua error (lua_error is a longjmp) runs inside lua_pcall issued from C,
 * so no longjmp ever crosses a Swift frame. Swift calls only the kh_* functions below; each returns a
 * status code and leaves a copy of any error message in the sandbox (kh_error_message).
 */
#ifndef CKAOHELUA_H
#define CKAOHELUA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lua_State lua_State;
typedef struct kh_sandbox kh_sandbox;

/* Status codes returned by kh_* calls. */
enum {
    KH_OK = 0,
    KH_ERR_RUNTIME = 1,   /* the script raised an error (message in kh_error_message) */
    KH_ERR_SYNTAX = 2,    /* the chunk did not compile */
    KH_ERR_MEMORY = 3,    /* the memory cap was hit */
    KH_ERR_TIME = 4,      /* the time budget ran out */
    KH_ERR_HOST = 5       /* misuse by the host (bad index, state not ready) */
};

/* ---- data given to rules: columnar, read-only, rows grouped by unit ---- */
enum { KH_COL_TEXT = 0, KH_COL_INTEGER = 1, KH_COL_NUMBER = 2, KH_COL_FLAG = 3 };

typedef struct kh_column {
    const char *name;        /* NUL-terminated UTF-8 */
    int32_t type;            /* KH_COL_* */
    const double *num;       /* INTEGER/NUMBER/FLAG: one value per row; NaN = empty */
    const int32_t *text;     /* TEXT: index into this column's string pool per row; -1 = empty */
    const uint8_t *pool;         /* TEXT: string pool bytes */
    const int64_t *pool_offsets; /* TEXT: string i is pool[pool_offsets[i] ..< pool_offsets[i+1]] */
} kh_column;

typedef struct kh_table {
    const char *name;
    int32_t ncols;
    const kh_column *cols;
    int64_t nrows;
    const int64_t *unit_start;  /* nunits + 1 offsets: the rows of unit u are [unit_start[u], unit_start[u+1]) */
} kh_table;

typedef struct kh_dataset {
    int32_t ntables;             /* tables[0] is the units table: row u is unit u */
    const kh_table *tables;
    int64_t nunits;
} kh_dataset;

/* One access to input data recorded while tracing (kaohe explain). */
typedef struct kh_access {
    int32_t rule;      /* rule index */
    int32_t table;     /* table index */
    int64_t row;       /* absolute row index in the table */
    int32_t column;    /* column index, -1 when a whole list was taken */
} kh_access;

/* ---- life cycle ---- */
/* A new sandbox with the given memory cap in bytes (0 = default 64 MiB). NULL when out of memory. */
kh_sandbox *kh_sandbox_new(size_t memory_limit);

/* A host function the trusted test harness calls (P.host_call(text) -> text): it gets `len` bytes of input
   and returns its output (length in *out_len), which the host owns and keeps until its next call, or NULL
   when it cannot answer. Policies cannot reach it. */
typedef const char *(*kh_host_call_fn)(void *ctx, const char *input, size_t len, size_t *out_len);
void kh_set_host_call(kh_sandbox *sb, kh_host_call_fn fn, void *ctx);
void kh_sandbox_free(kh_sandbox *sb);
size_t kh_memory_used(const kh_sandbox *sb);
size_t kh_memory_limit(const kh_sandbox *sb);
void kh_set_memory_limit(kh_sandbox *sb, size_t bytes);

/* The message of the last failure (UTF-8, NUL-terminated; empty when none). */
const char *kh_error_message(const kh_sandbox *sb);
/* The stable code of the last failed call's error when the core raised it with one ("rule.result",
   "data.unknown-column"), else "". */
const char *kh_error_code(const kh_sandbox *sb);
/* For KH_ERR_TIME / KH_ERR_MEMORY: where the script was when the limit tripped (chunk name and line),
   and the rule and unit being scored (-1 when not scoring). */
const char *kh_trip_source(const kh_sandbox *sb);
int kh_trip_line(const kh_sandbox *sb);
int32_t kh_trip_rule(const kh_sandbox *sb);
int64_t kh_trip_unit(const kh_sandbox *sb);

/* ---- policy ---- */
/* The trusted prelude that builds the sandbox globals and the host functions, in parts (Lua source each),
   loaded in order: kh_prelude_begin opens the standard library and makes the parts' internal table;
   kh_prelude_part runs one part with it; kh_prelude_end keeps the host functions and wipes the globals. */
int kh_prelude_begin(kh_sandbox *sb);
int kh_prelude_part(kh_sandbox *sb, const char *name, const char *src, size_t len);
int kh_prelude_end(kh_sandbox *sb);
/* Compiles (text only) and runs an untrusted policy chunk under the load time budget, then validates
   and freezes it. On success the policy's description (JSON) is available from kh_result(). */
int kh_load_policy(kh_sandbox *sb, const char *src, size_t len, const char *chunkname, double seconds);
/* After kh_load_policy failed on a policy the prelude refused: the problems as JSON records
   [{"code", "line", "message"}, ...] (empty when there are none, as for a syntax error). */
const char *kh_diagnostics(const kh_sandbox *sb, size_t *len);
/* Every global a policy sees and every function of its library tables, as JSON
   {"globals": [...], "library": [...]}; the result is then available from kh_result(). */
int kh_global_names(kh_sandbox *sb);
/* The string result of the last successful call that produces one (JSON). */
const char *kh_result(const kh_sandbox *sb, size_t *len);
int32_t kh_rule_count(const kh_sandbox *sb);
/* Of the score functions kh_rule_count counts, the last ones are the policy's vetoes (true or false). */
int32_t kh_veto_count(const kh_sandbox *sb);

/* ---- data and scoring ---- */
/* Attaches the dataset (kept by the caller, must outlive the sandbox's use of it). */
int kh_attach_dataset(kh_sandbox *sb, const kh_dataset *ds);
/* Scores units [first, first+count): points[(u-first)*nrules + r]; notes copied into the note buffer,
   note_offsets[(u-first)*nrules + r] .. +1 (caller provides count*nrules + 1 offsets).
   Each rule evaluation gets `seconds` of time. */
int kh_score_units(kh_sandbox *sb, int64_t first, int64_t count, double seconds,
                   double *points, int64_t *note_offsets);
/* The note bytes written by the last kh_score_units. */
const uint8_t *kh_note_bytes(const kh_sandbox *sb, size_t *len);

/* Whether rules' notes are wanted (default on); helpers skip building notes when off. */
void kh_set_notes(kh_sandbox *sb, int on);
/* Notes the host keeps for one run, in bytes (they live outside the Lua memory cap). */
#define KH_NOTES_BUDGET ((size_t)128 << 20)
/* Whether the last kh_score_units' notes passed KH_NOTES_BUDGET; the notes after that point were dropped. */
int kh_notes_over(const kh_sandbox *sb);

/* Tracing (explain): when on, every input access and every param access is recorded. */
void kh_set_trace(kh_sandbox *sb, int on);
const kh_access *kh_trace_accesses(const kh_sandbox *sb, size_t *count);
/* Param accesses as JSON [[rule, "path", value], ...] (valid after kh_trace_params returns KH_OK). */
int kh_trace_params(kh_sandbox *sb);

/* Evaluates a Lua expression/statement chunk in the sandbox (tests): "return ..." results are converted
   with tostring and joined with tabs into kh_result(). */
int kh_eval(kh_sandbox *sb, const char *src, size_t len, const char *chunkname, double seconds);

/* Runs a policy test file (test_* functions) against the loaded policy; the JSON report is in kh_result().
   `only` is a newline-separated list of test names ("" = all). */
int kh_run_tests(kh_sandbox *sb, const char *src, size_t len, const char *chunkname, const char *only,
                 double seconds);

/* The Lua release kaohe was built against, e.g. "Lua 5.4.6". */
const char *kh_lua_release(void);

#ifdef __cplusplus
}
#endif
#endif
