/*
 * pattern_difftest.c - differential test of kh_pattern.c against the stock Lua 5.4 string library.
 *
 * Two Lua states are created: "stock" with the real string library and "kh" whose string table has
 * find/match/gmatch/gsub replaced by kh_pattern_register().  Every case runs in both states and the
 * serialized results (values or error messages) must be identical.  Cases:
 *   1. hand-picked Lua expressions (manual examples, edge cases, error paths, depth limits);
 *   2. random (op, subject, pattern, init/plain/repl/n) cases from a fixed seed;
 *   3. kh-only checks: pathological patterns are stopped by the step budget / interruption, and
 *      large legitimate inputs are not.
 *
 * Usage: pattern_difftest [random-case-count [seed]]     (exit status 1 on any difference)
 */
#define _POSIX_C_SOURCE 199309L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "kh_pattern.h"

/* ------------------------------------------------------------ host stub */

static long g_interrupt_after = -1;  /* kh_interrupted returns 1 after this many calls; -1 never */
static long g_interrupt_calls = 0;

int kh_interrupted(lua_State *L) {
  (void)L;
  g_interrupt_calls++;
  return g_interrupt_after >= 0 && g_interrupt_calls > g_interrupt_after;
}

/* ------------------------------------------------------- small utilities */

typedef struct { char *p; size_t n, cap; } Buf;

static void buf_add(Buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) { perror("realloc"); exit(2); }
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static void buf_printf(Buf *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Appends s as a Lua string literal (printable, unambiguous). */
static void buf_quote(Buf *b, const char *s, size_t n, size_t max) {
  size_t i;
  buf_add(b, "\"", 1);
  for (i = 0; i < n && i < max; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') buf_printf(b, "\\%c", c);
    else if (c >= 32 && c < 127) buf_add(b, (const char *)&c, 1);
    else buf_printf(b, "\\%d", c);
  }
  if (n > max) buf_printf(b, "...(%zu bytes)", n);
  buf_add(b, "\"", 1);
}

static unsigned long long g_rng = 88172645463325252ULL;
static unsigned rnd(unsigned n) {  /* xorshift64, uniform-ish in [0, n) */
  g_rng ^= g_rng << 13; g_rng ^= g_rng >> 7; g_rng ^= g_rng << 17;
  return (unsigned)(g_rng % n);
}
static char pick(const char *set) { return set[rnd((unsigned)strlen(set))]; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------- Lua states */

static const char *k_prelude =
  "T1 = {a='A', b=false, ab='X', ['1']='one', [1]='int1', [2]=2.5, c={}, ['']='E', x=7}\n"
  "T2 = setmetatable({}, {__index=function(t,k) return '['..math.type(k)..tostring(k)..']' end})\n"
  "T3 = {a={}}\n"
  "function F1(...) local t=table.pack(...) local o={} for i=1,t.n do o[i]=type(t[i])..':'..tostring(t[i]) end return table.concat(o, ',') end\n"
  "local flip = false\n"
  "function F2(a) flip = not flip if flip then return nil end return '<'..tostring(a)..'>' end\n"
  "function F3(a) return 42.5 end\n"
  "function F4(a) if a == 'a' then return {} end return false end\n"
  "function F5() end\n"
  "function F6(a, b) return b end\n"
  "function collect(it) local o={} for a, b, c in it do o[#o+1]=tostring(a)..'|'..tostring(b)..'|'..tostring(c) if #o > 50 then break end end return table.concat(o, ';') end\n";

static lua_State *new_state(int with_kh) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  if (with_kh) {
    lua_getglobal(L, "string");
    kh_pattern_register(L, -1);
    lua_pop(L, 1);
  }
  if (luaL_dostring(L, k_prelude) != LUA_OK) {
    fprintf(stderr, "prelude: %s\n", lua_tostring(L, -1));
    exit(2);
  }
  return L;
}

/* Serializes stack values from..top into b. */
static void ser_values(Buf *b, lua_State *L, int from) {
  int i, top = lua_gettop(L);
  buf_printf(b, "%d:", top - from + 1);
  for (i = from; i <= top; i++) {
    size_t n;
    const char *s;
    buf_add(b, " ", 1);
    switch (lua_type(L, i)) {
      case LUA_TNUMBER:
        if (lua_isinteger(L, i)) buf_printf(b, "i%lld", (long long)lua_tointeger(L, i));
        else buf_printf(b, "f%.17g", (double)lua_tonumber(L, i));
        break;
      case LUA_TSTRING:
        s = lua_tolstring(L, i, &n);
        buf_quote(b, s, n, (size_t)-1);
        break;
      case LUA_TBOOLEAN: buf_add(b, lua_toboolean(L, i) ? "true" : "false", lua_toboolean(L, i) ? 4 : 5); break;
      default: buf_printf(b, "%s", luaL_typename(L, i)); break;
    }
  }
}

/* Calls the function below nargs arguments with pcall and serializes the outcome. */
static int call_ser(Buf *b, lua_State *L, int nargs) {
  int base = lua_gettop(L) - nargs;
  if (lua_pcall(L, nargs, LUA_MULTRET, 0) != LUA_OK) {
    size_t n;
    const char *msg = lua_tolstring(L, -1, &n);
    buf_add(b, "ERR ", 4);
    if (msg) buf_add(b, msg, n); else buf_add(b, "(non-string)", 12);
    lua_settop(L, base - 1);
    return 0;
  }
  ser_values(b, L, base);
  return 1;
}

/* ------------------------------------------------------------ a case */

enum { A_NIL, A_INT, A_FLT, A_STR, A_BOOL, A_GLOBAL };
typedef struct { int t; long long i; double f; char s[96]; size_t n; } Arg;
typedef struct { const char *op; int nargs; Arg a[4]; } Case;

static void push_arg(lua_State *L, const Arg *a) {
  switch (a->t) {
    case A_NIL: lua_pushnil(L); break;
    case A_INT: lua_pushinteger(L, (lua_Integer)a->i); break;
    case A_FLT: lua_pushnumber(L, a->f); break;
    case A_STR: lua_pushlstring(L, a->s, a->n); break;
    case A_BOOL: lua_pushboolean(L, (int)a->i); break;
    default: lua_getglobal(L, a->s); break;
  }
}

static void describe(Buf *b, const Case *c) {
  int i;
  buf_printf(b, "string.%s(", c->op);
  for (i = 0; i < c->nargs; i++) {
    const Arg *a = &c->a[i];
    if (i) buf_add(b, ", ", 2);
    switch (a->t) {
      case A_NIL: buf_add(b, "nil", 3); break;
      case A_INT: buf_printf(b, "%lld", a->i); break;
      case A_FLT: buf_printf(b, "%.17g", a->f); break;
      case A_STR: buf_quote(b, a->s, a->n, 200); break;
      case A_BOOL: buf_add(b, a->i ? "true" : "false", a->i ? 4 : 5); break;
      default: buf_add(b, a->s, strlen(a->s)); break;
    }
  }
  buf_add(b, ")", 1);
}

/* Runs a case in L; gmatch results are gathered by iterating up to 60 times. */
static void run_case(Buf *b, lua_State *L, const Case *c) {
  int i;
  lua_settop(L, 0);
  lua_getglobal(L, "string");
  lua_getfield(L, 1, c->op);
  for (i = 0; i < c->nargs; i++) push_arg(L, &c->a[i]);
  if (strcmp(c->op, "gmatch") != 0) { call_ser(b, L, c->nargs); return; }
  if (lua_pcall(L, c->nargs, 1, 0) != LUA_OK) {
    buf_printf(b, "ERR %s", lua_tostring(L, -1));
    return;
  }
  for (i = 0; i < 60; i++) {
    int top = lua_gettop(L);
    lua_pushvalue(L, top);
    buf_add(b, " / ", 3);
    if (!call_ser(b, L, 0)) break;
    if (lua_gettop(L) == top || lua_isnil(L, top + 1)) break;
    lua_settop(L, top);
  }
}

static int g_diffs = 0, g_skipped = 0;
static long g_found = 0, g_nomatch = 0, g_errors = 0;  /* outcomes of random cases (stock) */
static lua_State *g_stock, *g_kh;

static long g_show = 0;  /* print this many random cases with their results (env KH_DIFFTEST_SHOW) */

static int is_budget_error(const Buf *b) {
  return strstr(b->p, "step budget of") != NULL || strstr(b->p, ": interrupted") != NULL;
}

/* Runs a case in both states and reports a difference. */
static void check_case(const Case *c) {
  Buf ks = {0}, ss = {0}, d = {0};
  run_case(&ks, g_kh, c);
  if (is_budget_error(&ks)) g_skipped++;  /* kh stopped it; stock might run for a long time */
  else {
    run_case(&ss, g_stock, c);
    if (strncmp(ss.p, "ERR", 3) == 0 || strstr(ss.p, "/ ERR")) g_errors++;
    else if (strcmp(ss.p, "1: nil") == 0 || strcmp(ss.p, " / 0:") == 0) g_nomatch++;
    else g_found++;
    if (g_show > 0) {
      g_show--;
      describe(&d, c);
      printf("CASE %s\n  -> %s\n", d.p, ss.p);
    }
    if (ss.n != ks.n || memcmp(ss.p, ks.p, ss.n) != 0) {
      if (++g_diffs <= 25) {
        describe(&d, c);
        printf("DIFF %s\n  stock: %s\n  kh:    %s\n", d.p, ss.p, ks.p);
      }
    }
  }
  free(ks.p); free(ss.p); free(d.p);
}

/* Runs the Lua chunk `src` in both states and compares. */
static void check_lua(const char *src) {
  Buf r[2] = {{0}, {0}};
  lua_State *Ls[2] = {g_stock, g_kh};
  int i;
  for (i = 0; i < 2; i++) {
    lua_settop(Ls[i], 0);
    if (luaL_loadstring(Ls[i], src) != LUA_OK) {
      fprintf(stderr, "bad hand-picked case: %s\n%s\n", src, lua_tostring(Ls[i], -1));
      exit(2);
    }
    call_ser(&r[i], Ls[i], 0);
  }
  if (r[0].n != r[1].n || memcmp(r[0].p, r[1].p, r[0].n) != 0) {
    if (++g_diffs <= 25) printf("DIFF %s\n  stock: %s\n  kh:    %s\n", src, r[0].p, r[1].p);
  }
  free(r[0].p); free(r[1].p);
}

/* ------------------------------------------------------ hand-picked cases */

static const char *k_hand[] = {
  /* manual §6.4 examples */
  "return string.gsub('hello world', '(%w+)', '%1 %1')",
  "return string.gsub('hello world', '%w+', '%0 %0', 1)",
  "return string.gsub('hello world from Lua', '(%w+)%s*(%w+)', '%2 %1')",
  "return string.gsub('$name-$version.tar.gz', '%$(%w+)', {name='lua', version='5.4'})",
  "return string.gsub('4+5 = $return 4+5$', '%$(.-)%$', function(s) return load(s)() end)",
  "return collect(string.gmatch('hello world from Lua', '%a+'))",
  "return collect(string.gmatch('from=world, to=Lua', '(%w+)=(%w+)'))",
  "return string.find('THE (quick) fox', '%((%a+)%)')",
  "return string.match(' key = value ', '^%s*(%S+)%s*=%s*(%S+)%s*$')",
  "return string.gsub('THE (quick) fox', '%f[%a]%a+', '%0!')",
  "return string.gsub('THE (quick) fox', '%f[%a]%u+%f[%A]', 'X')",
  "return string.find('hello', '()ll()')",
  "return string.match('  x', '()x')",
  "return string.gsub('abc', '()', '%1')",
  "return string.gsub('abc', '()', T2)",
  "return string.gsub('abc', '%w', '%1%0')",
  /* empty matches, gsub/gmatch 5.4 rules */
  "return string.gsub('abc', '%w*', '-')",
  "return string.gsub('abc', '', '-')",
  "return string.gsub('', '', '-')",
  "return string.gsub('a,b,,c', ',*', '|')",
  "return collect(string.gmatch('abc', '%w*'))",
  "return collect(string.gmatch('a,b,,c', '[^,]*'))",
  "return collect(string.gmatch('abc', ''))",
  "return collect(string.gmatch('abcabc', 'b', 3))",
  "return collect(string.gmatch('abcabc', 'b', -2))",
  "return collect(string.gmatch('abc', '.', 10))",
  "return collect(string.gmatch('^a^b', '^.'))",
  "return string.gsub('hello world', 'o', {o=1})",
  "return string.gsub('hello', '', {})",
  "return string.gsub('abc', '^', 'x')",
  "return string.gsub('abc', '$', 'x')",
  "return string.gsub('abc', '^a*', 'x')",
  "return string.gsub('aaa', '^a', 'x')",
  "return string.gsub('abc', '.', '%%')",
  "return string.gsub(123, '2', 'x')",
  "return string.gsub(123, 'x', 'y')",
  "return string.gsub('abc', 'b', 9)",
  "return string.gsub('abc', 'b', 1.5)",
  "return string.gsub('abc', '(b)', F5)",
  "return string.gsub('abc', '(b)', F6)",
  "return string.gsub('abc', 'b', F6)",
  /* init handling */
  "return string.find('abc', 'b', 10), string.find('abc', '', 4), string.find('abc', '', 5)",
  "return string.find('abc', '', 3), string.find('abc', '', -1), string.find('abc', 'a', -10)",
  "return string.find('abc', 'c', math.mininteger), string.find('abc', 'c', math.maxinteger)",
  "return string.match('abc', '.', 0), string.match('abc', '.', -1), string.match('abc', '$', 4)",
  "return string.find('a.b', '.', 1, true), string.find('a.b', '.', 2, true), string.find('a+b', '+', 1, true)",
  "return string.find('abc', '', 10, true), string.find('', '', 1, true), string.find('', '', 2, true)",
  "return string.find('aXb', 'X', 1, nil), string.find('a%b', '%', 1, 1)",
  "return string.find('a\\0b\\0c', '\\0c'), string.find('a\\0b', '%z'), string.find('a\\0b', '[\\0]')",
  "return string.find('a\\0b', 'b\\0'), string.match('x\\0y', '(.)%z(.)')",
  /* classes and sets */
  "return string.gsub('aZ09 \\t\\n!~_\\127\\200\\255', '%g', '.')",
  "return string.gsub('aZ09 \\t\\n!~_\\127\\200', '%G', '.')",
  "return string.gsub('a]b-c^d', '[]]', '.'), string.gsub('a]b-c^d', '[^]]', '.')",
  "return string.gsub('a]b-c^d', '[a-]', '.'), string.gsub('a]b-c^d', '[-a]', '.'), string.gsub('a]b-c^d', '[]-b]', '.')",
  "return string.gsub('a]b-c^d%', '[a-%%]', '.'), string.gsub('!%]a', '[!-%]]', '.')",
  "return string.gsub('a^b', '[b^]', '.'), string.gsub('a^b', '[%^]', '.'), string.gsub('azAZ', '[%a-z]', '.')",
  "return string.gsub('qQ1', '%q', '.'), string.gsub('qQ1', '%Q', '.'), string.gsub('q.Q', '%.', '!')",
  "return string.gsub('a b', '[%s]', '_'), string.gsub('a b', '[^%s]', '_'), string.gsub('abc', '[c-a]', '_')",
  /* balance, frontier, back-references */
  "return string.find('x(a(b)c)y', '%b()'), string.find('x((a)', '%b()'), string.find('\"a\"b\"', '%b\"\"')",
  "return string.gsub('f(a(b)) g(c)', '%b()', '')",
  "return string.find('\\0', '%f[%z]'), string.find('a', '%f[%z]'), string.find('ab', '%f[^%z]')",
  "return string.find('hello', '%f[%l]'), string.find('hello', '%f[%L]'), string.find('', '%f[%z]')",
  "return string.find('abab', '(ab)%1'), string.match('xyxy', '(x)(y)%1%2'), string.find('aa', '()%1')",
  "return string.match('hello = \"x y\" end', '([\"\\'])(.-)%1')",
  /* errors */
  "return pcall(string.find, 'abc', '%')",
  "return pcall(string.find, 'abc', '[a'), pcall(string.find, 'abc', '[a%'), pcall(string.find, 'abc', '[^')",
  "return pcall(string.find, 'abc', '%f'), pcall(string.find, 'abc', '%fa'), pcall(string.find, 'abc', '%b'), pcall(string.find, 'abc', '%ba')",
  "return pcall(string.find, 'abc', '%1'), pcall(string.find, 'abc', '%0'), pcall(string.find, 'abc', '(a%1)')",
  "return pcall(string.find, 'abc', 'a)'), pcall(string.match, 'abc', 'a)'), pcall(string.find, 'abc', '(a')",
  "return pcall(string.find, 'abc', string.rep('()', 32)), pcall(string.find, 'abc', string.rep('()', 33))",
  "return pcall(string.gsub, 'abc', 'a', '%2'), pcall(string.gsub, 'abc', '(a)', '%2'), pcall(string.gsub, 'abc', '(a)', '%x')",
  "return pcall(string.gsub, 'abc', 'a', '%'), pcall(string.gsub, 'abc', '(a)', {a=true}), pcall(string.gsub, 'abc', '(a', 'x')",
  "return pcall(string.gsub, 'abc', '(a', F1), pcall(string.gsub, 'abc', '(a', T1), pcall(string.gsub, 'abc', 'a', T3)",
  "return pcall(string.gsub, 'abc', 'a'), pcall(string.gsub, 'abc', 'a', nil), pcall(string.gsub, 'abc', 'a', true, 'x')",
  "return pcall(string.gsub, nil, 'a', 'b'), pcall(string.gsub, 'a', {}, 'b'), pcall(string.gsub, 'a', 'a', 'b', 1.5)",
  "return pcall(string.find), pcall(string.find, 'a'), pcall(string.find, 'a', 'a', 'x'), pcall(string.find, 'a', 'a', 1.5)",
  "return pcall(string.match, {}, 'a'), pcall(string.gmatch, 'a'), pcall(string.gmatch, 'a', 'a', 1.5)",
  "return pcall(collect, string.gmatch('abc', '(.')), pcall(collect, string.gmatch('abc', '%'))",
  "return pcall(string.find, 'b', 'a['), pcall(string.find, 'a', 'a['), pcall(string.find, '', '[')",
  "return pcall(string.find, 'b', 'a%1'), pcall(string.find, 'a', 'x*%'), pcall(string.gsub, 'xyz', 'y)', 'q')",
  "local ok, e = pcall(string.find, ('x'):rep(40), ('(x)'):rep(40)) return ok, e",
  /* recursion depth limit ("pattern too complex") */
  "return pcall(string.find, string.rep('a', 300), string.rep('a?', 300))",
  "return pcall(string.find, string.rep('a', 198), string.rep('a?', 198))",
  "return pcall(string.find, string.rep('a', 199), string.rep('a?', 199))",
  "return pcall(string.find, string.rep('a', 200), string.rep('a?', 200))",
  "return pcall(string.find, string.rep('a', 201), string.rep('a?', 201))",
  "return pcall(string.find, 'aaa', string.rep('a*', 300))",
  "return pcall(string.find, string.rep('a', 300), string.rep('a-', 300))",
  "return pcall(string.find, string.rep('ab', 300), string.rep('.-b', 300))",
  "return pcall(string.find, string.rep('a', 250), string.rep('a', 250) .. '$')",
  "return pcall(string.find, string.rep('()', 20) .. 'x', string.rep('()', 20) .. 'x')",
  "return pcall(string.match, string.rep('a', 190), string.rep('(a?)', 31))",
  /* moderately large legitimate inputs */
  "local s = string.rep('hello world, ', 20000) return string.gsub(s, '%w+', '%0%0')",
  "local s = string.rep('k=v; ', 20000) local n = 0 for k, v in s:gmatch('(%w+)=(%w+)') do n = n + #k + #v end return n",
  "local s = string.rep('a', 100000) .. 'b' return string.find(s, 'a*b'), string.find(s, '.-b'), string.find(s, 'ab', 1, true)",
  "local s = string.rep('(x)', 30000) return string.find(s, '%b()', 5), select('#', string.gsub(s, '%b()', ''))",
};

/* ------------------------------------------------------- random cases */

/* Focused cases use a tiny alphabet so that patterns match often and backtracking is exercised. */
static int g_focus = 0;

static size_t gen_subject(char *out, size_t max) {
  static const char alpha[] = "aaaabbbbcc()[]%-^$.1 A_\n\"";
  size_t n = rnd(8) == 0 ? rnd((unsigned)max) : rnd(17), i;
  if (n > max) n = max;
  for (i = 0; i < n; i++) {
    unsigned r = rnd(40);
    out[i] = g_focus ? pick("aaabb()") : r == 0 ? '\0' : r == 1 ? (char)0xe9 : pick(alpha);
  }
  return n;
}

typedef struct { char *p; size_t n, max; int quants; } PBuf;
static void padd(PBuf *b, const char *s) {
  size_t l = strlen(s);
  if (b->n + l <= b->max) { memcpy(b->p + b->n, s, l); b->n += l; }
}
static void paddc(PBuf *b, char c) { char t[2] = {c, 0}; if (c) padd(b, t); else if (b->n < b->max) b->p[b->n++] = 0; }

static void gen_set(PBuf *b) {
  int k = 1 + (int)rnd(4), i;
  padd(b, "[");
  if (rnd(3) == 0) padd(b, "^");
  if (rnd(8) == 0) padd(b, "]");
  for (i = 0; i < k; i++) {
    switch (rnd(6)) {
      case 0: { char r[4] = {pick("abc]-^%1A("), '-', pick("abcz]%A"), 0}; padd(b, r); break; }
      case 1: paddc(b, '%'); paddc(b, pick("adlsuwxpgcSAWz]%-^[.q")); break;
      default: paddc(b, pick("abc1-^.()A$ ")); break;
    }
  }
  padd(b, "]");
}

static void gen_items(PBuf *b, int depth);

static void gen_item(PBuf *b, int depth) {
  unsigned r = rnd(100);
  if (g_focus) {
    static const char *atoms[] = {"a", "a", "b", "b", ".", "%a", "[ab]", "[^a]", "(", "%(", "%)"};
    if (r < 10 && depth < 2) { padd(b, "("); gen_items(b, depth + 1); padd(b, ")"); return; }
    if (r < 13) { padd(b, "()"); return; }
    if (r < 17) { padd(b, rnd(2) ? "%b()" : "%bab"); return; }
    if (r < 21) { padd(b, rnd(2) ? "%f[a]" : "%f[^a]"); return; }
    if (r < 25) { padd(b, rnd(3) ? "%1" : "%2"); return; }
    padd(b, atoms[rnd(sizeof atoms / sizeof *atoms)]);
    if (b->quants < 4 && rnd(100) < 60) { paddc(b, pick("*+-?")); b->quants++; }
    return;
  }
  if (r < 10 && depth < 2) { padd(b, "("); gen_items(b, depth + 1); padd(b, ")"); return; }
  if (r < 14) { padd(b, "()"); return; }
  if (r < 18) { padd(b, "%b"); paddc(b, pick("(a[\"")); paddc(b, pick(")b]\"")); return; }
  if (r < 23) { padd(b, "%f"); gen_set(b); return; }
  if (r < 27) { paddc(b, '%'); paddc(b, pick("11122390")); return; }
  /* single character class with optional quantifier */
  r = rnd(100);
  if (r < 40) paddc(b, pick("aabbc1 A_\""));
  else if (r < 50) padd(b, ".");
  else if (r < 75) { paddc(b, '%'); paddc(b, pick("acdglpsuwxzACDGLPSUWXZ.%(]-[^$qQ*")); }
  else gen_set(b);
  if (b->quants < 3 && rnd(100) < 45) { paddc(b, pick("**++--??")); b->quants++; }
}

static void gen_items(PBuf *b, int depth) {
  int k = (int)rnd(depth ? 3 : 6), i;
  for (i = 0; i < k; i++) gen_item(b, depth);
}

static size_t gen_pattern(char *out, size_t max) {
  PBuf b = {out, 0, max, 0};
  unsigned mode = rnd(100);
  if (!g_focus && mode < 22) {  /* raw bytes biased to magic characters: error paths */
    int k = (int)rnd(9), i, q = 0;
    for (i = 0; i < k; i++) {
      char c = pick("^$*+?.()[]%-abf1b%%");
      if (c == '*' || c == '+' || c == '-' || c == '?') { if (q >= 4) continue; q++; }
      paddc(&b, c);
    }
    return b.n;
  }
  if (rnd(6) == 0) padd(&b, "^");
  gen_items(&b, 0);
  if (rnd(6) == 0) padd(&b, "$");
  if (!g_focus && mode < 30 && b.n > 0) {  /* mutate one byte */
    size_t at = rnd((unsigned)b.n);
    b.p[at] = pick("()[]%^$-a");
  }
  return b.n;
}

static void arg_str(Arg *a, const char *s, size_t n) { a->t = A_STR; memcpy(a->s, s, n); a->n = n; }
static void arg_int(Arg *a, long long i) { a->t = A_INT; a->i = i; }
static void arg_glob(Arg *a, const char *name) { a->t = A_GLOBAL; strcpy(a->s, name); }

static void gen_init(Arg *a, size_t ls) {
  switch (rnd(16)) {
    case 0: a->t = A_NIL; break;
    case 1: arg_int(a, 0); break;
    case 2: arg_int(a, -1); break;
    case 3: arg_int(a, -2); break;
    case 4: arg_int(a, -100); break;
    case 5: arg_int(a, (long long)ls); break;
    case 6: arg_int(a, (long long)ls + 1); break;
    case 7: arg_int(a, (long long)ls + 2); break;
    case 8: arg_int(a, rnd(2) ? 0x7fffffffffffffffLL : -0x7fffffffffffffffLL - 1); break;
    case 9: a->t = A_FLT; a->f = rnd(2) ? 2.0 : 1.5; break;
    case 10: arg_str(a, "2", 1); break;
    default: arg_int(a, 1 + rnd(5)); break;
  }
}

static void gen_repl(Arg *a) {
  static const char *pieces[] = {"x", "%0", "%1", "%2", "%3", "%%", "<", "%1%1", "%a", "%", "%9"};
  static const char *globs[] = {"T1", "T2", "T3", "F1", "F2", "F3", "F4", "F5", "F6"};
  unsigned r = rnd(100);
  if (r < 45) {
    char t[64];
    size_t n = 0;
    int k = (int)rnd(4), i;
    for (i = 0; i < k; i++) {
      const char *pc = pieces[rnd(sizeof pieces / sizeof *pieces)];
      size_t l = strlen(pc);
      if (strcmp(pc, "%") == 0 && rnd(3)) continue;  /* keep lone '%' rare */
      memcpy(t + n, pc, l); n += l;
    }
    arg_str(a, t, n);
  }
  else if (r < 50) { a->t = A_INT; a->i = 7; }
  else if (r < 95) arg_glob(a, globs[rnd(sizeof globs / sizeof *globs)]);
  else if (r < 97) a->t = A_NIL;
  else { a->t = A_BOOL; a->i = 1; }
}

static void gen_case(Case *c) {
  static const char *ops[] = {"find", "find", "find", "match", "match", "gmatch", "gmatch", "gsub", "gsub", "gsub"};
  char s[64], p[80];
  size_t ls, lp;
  g_focus = rnd(5) < 2;
  ls = gen_subject(s, 40);
  lp = gen_pattern(p, 60);
  memset(c, 0, sizeof *c);
  c->op = ops[rnd(10)];
  arg_str(&c->a[0], s, ls);
  arg_str(&c->a[1], p, lp);
  if (rnd(200) == 0) arg_int(&c->a[rnd(2)], 12);          /* numbers are coerced */
  if (rnd(400) == 0) c->a[rnd(2)].t = A_NIL;              /* argument errors */
  c->nargs = 2;
  if (strcmp(c->op, "gsub") == 0) {
    gen_repl(&c->a[2]);
    c->nargs = 3;
    if (rnd(3) == 0) {
      static const long long ns[] = {0, 1, 1, 2, 2, 3, -1};
      unsigned r = rnd(10);
      c->nargs = 4;
      if (r < 7) arg_int(&c->a[3], ns[r]);
      else if (r == 7) { c->a[3].t = A_FLT; c->a[3].f = 1.0; }
      else if (r == 8) arg_str(&c->a[3], "2", 1);
      else c->a[3].t = A_NIL;
    }
    if (rnd(100) == 0) c->nargs = 2;                      /* missing repl */
    return;
  }
  if (rnd(5) < 3) { gen_init(&c->a[2], ls); c->nargs = 3; }
  if (strcmp(c->op, "find") == 0 && rnd(3) == 0) {
    if (c->nargs == 2) { arg_int(&c->a[2], 1); c->nargs = 3; }
    c->nargs = 4;
    c->a[3].t = rnd(4) ? A_BOOL : A_NIL;
    c->a[3].i = rnd(3) != 0;
  }
}

/* ----------------------------------------------------- kh-only checks */

static int g_fail = 0;

/* Runs src in the kh state; the outcome must contain `expect`.  Prints the time taken. */
static void expect_kh(const char *label, const char *src, const char *expect) {
  Buf r = {0};
  double t0, dt;
  lua_settop(g_kh, 0);
  if (luaL_loadstring(g_kh, src) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(g_kh, -1)); exit(2); }
  t0 = now();
  call_ser(&r, g_kh, 0);
  dt = now() - t0;
  printf("  %-44s %8.3f s  %s%.90s\n", label, dt, strstr(r.p, expect) ? "ok: " : "UNEXPECTED: ", r.p);
  if (!strstr(r.p, expect)) g_fail = 1;
  free(r.p);
}

static void kh_only_checks(void) {
  printf("kh-only checks (budget %ld):\n", kh_pattern_step_budget);
  expect_kh("find(rep('a',30000), rep('a*',12)..'b')",
            "return string.find(string.rep('a', 30000), string.rep('a*', 12) .. 'b')", "step budget of 33554432 exceeded");
  expect_kh("match, same pattern",
            "return string.match(string.rep('a', 30000), string.rep('a*', 12) .. 'b')", "step budget of");
  expect_kh("gsub, same pattern",
            "return string.gsub(string.rep('a', 30000), string.rep('a*', 12) .. 'b', '')", "step budget of");
  expect_kh("gmatch, same pattern",
            "for x in string.gmatch(string.rep('a', 30000), string.rep('a*', 12) .. 'b') do end", "step budget of");
  expect_kh("find(rep('(',200000), '%b()')",
            "return string.find(string.rep('(', 200000), '%b()')", "step budget of");
  expect_kh("find(rep('a',100000), '(.*)%1b')",
            "return string.find(string.rep('a', 100000), '(.*)%1b')", "step budget of");
  expect_kh("plain find 1MB / 500KB needle",
            "return string.find(string.rep('a', 1000000), string.rep('a', 500000) .. 'b', 1, true)", "step budget of");
  expect_kh("find(rep('a',5000), rep('.-',8)..'b')",
            "return string.find(string.rep('a', 5000), string.rep('.-', 8) .. 'b')", "step budget of");
  expect_kh("pcall then continue (state usable)",
            "local ok, e = pcall(string.find, string.rep('a', 3000), string.rep('a*', 9) .. 'b') "
            "return ok, e, string.find('xyz', 'y')", "4: false \"pattern too complex: step budget of 33554432 exceeded\" i2 i2");
  g_interrupt_calls = 0; g_interrupt_after = 100;
  kh_pattern_step_budget = 1L << 40;
  expect_kh("interrupted after 100 polls (huge budget)",
            "return string.find(string.rep('a', 30000), string.rep('a*', 12) .. 'b')", ":1: interrupted");
  g_interrupt_after = -1;
  kh_pattern_step_budget = 1000;
  expect_kh("budget 1000: 'a' * 2000 with '.-$'",
            "return string.find(string.rep('a', 2000), '^.-$')", "step budget of 1000 exceeded");
  expect_kh("budget 1000: small match still fine",
            "return string.find('hello world', 'o w')", "2: i5 i7");
  kh_pattern_step_budget = 1L << 25;
  expect_kh("default budget: 1.2 MB gsub('%w+') ok",
            "local s = string.rep('hello world ', 100000) return #s, select(2, string.gsub(s, '%w+', '%0'))",
            "2: i1200000 i200000");
}

/* ------------------------------------------------------------- main */

int main(int argc, char **argv) {
  long count = argc > 1 ? atol(argv[1]) : 1000000, i;
  size_t h;
  double t0 = now();
  Case c;
  if (getenv("KH_DIFFTEST_SHOW")) g_show = atol(getenv("KH_DIFFTEST_SHOW"));
  if (argc > 2) g_rng = strtoull(argv[2], NULL, 10) * 0x9E3779B97F4A7C15ULL + 1;  /* never 0 */
  g_stock = new_state(0);
  g_kh = new_state(1);

  for (h = 0; h < sizeof k_hand / sizeof *k_hand; h++) check_lua(k_hand[h]);
  printf("hand-picked: %zu cases, %d differences\n", sizeof k_hand / sizeof *k_hand, g_diffs);

  for (i = 0; i < count; i++) {
    gen_case(&c);
    check_case(&c);
    if (i % 5000 == 0) { lua_gc(g_kh, LUA_GCCOLLECT, 0); lua_gc(g_stock, LUA_GCCOLLECT, 0); }
  }
  printf("random: %ld cases (%ld matched, %ld no match, %ld errors), %d skipped (kh stopped them), "
         "%d differences total, %.1f s\n", count, g_found, g_nomatch, g_errors, g_skipped, g_diffs, now() - t0);

  kh_only_checks();
  lua_close(g_stock);
  lua_close(g_kh);
  printf("%s (%.1f s)\n", g_diffs || g_fail ? "FAIL" : "PASS", now() - t0);
  return g_diffs || g_fail ? 1 : 0;
}
