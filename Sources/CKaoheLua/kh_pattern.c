/*
 * kh_pattern.c - clean-room, step-budgeted implementation of Lua 5.4 pattern matching.
 *
 * Implements string.find, string.match, string.gmatch and string.gsub with the semantics of the
 * Lua 5.4 reference manual (§6.4 and §6.4.1 "Patterns"), written from that specification.  The
 * difference from the stock string library is that every unit of matcher work is counted:
 *
 *   - a "step" is one attempt to match one pattern item at one subject position; each entry into
 *     the backtracking matcher (every start position and every backtracking alternative) is also
 *     one step;
 *   - items whose single attempt does unbounded work are charged for it: %bxy one step per subject
 *     character scanned, back-references and plain (literal) searches one step per 64 bytes compared.
 *
 * When a call exceeds kh_pattern_step_budget steps it raises "pattern too complex: step budget of
 * N exceeded"; every 4096 steps it asks the host (kh_interrupted) whether to stop, and raises
 * "interrupted" if so.  Recursion is bounded (KH_MAXDEPTH, like stock Lua's limit of 200) and the
 * matcher never allocates: captures are recorded as pointers and only pushed once a match is found.
 *
 * Error messages and the order in which errors are detected follow stock Lua 5.4: the pattern is
 * interpreted lazily, so a malformed part that the matcher never reaches is not reported.
 */
#include <ctype.h>
#include <string.h>

#include "kh_pattern.h"

long kh_pattern_step_budget = 1L << 25;

#define KH_ESC         '%'
#define KH_SPECIALS    "^$*+?.([%-"  /* a pattern without these is a literal string */
#define KH_MAXCAPTURES 32            /* stock LUA_MAXCAPTURES */
#define KH_MAXDEPTH    200           /* stock MAXCCALLS: nesting of backtracking choice points */
#define KH_POLL        4096          /* ask the host about interruption this often */
#define KH_CHUNK       64            /* bytes compared per step in literal comparisons */

#define CAP_OPEN     (-1)  /* capture opened, not yet closed */
#define CAP_POSITION (-2)  /* position capture "()" */

typedef struct {
  const char *start;
  ptrdiff_t len;  /* length, CAP_OPEN or CAP_POSITION */
} Capture;

typedef struct {
  lua_State *L;
  const char *src;      /* subject */
  const char *src_end;
  const char *pat_end;  /* end of the pattern being matched */
  int depth;            /* remaining nesting levels */
  int ncap;             /* captures opened so far */
  long steps;           /* steps used by this call */
  long next_poll;       /* step count at which to check budget and interruption */
  Capture cap[KH_MAXCAPTURES];
} Matcher;

/* ---------------------------------------------------------------- budget */

static void budget_poll(Matcher *m) {
  long budget = kh_pattern_step_budget;
  if (m->steps > budget)
    luaL_error(m->L, "pattern too complex: step budget of %I exceeded", (lua_Integer)budget);
  if (kh_interrupted(m->L))
    luaL_error(m->L, "interrupted");
  if (budget - m->steps < KH_POLL)
    m->next_poll = budget + 1;  /* make the budget check exact */
  else
    m->next_poll = m->steps + KH_POLL;
}

static void tick(Matcher *m, long n) {
  m->steps += n;
  if (m->steps >= m->next_poll)
    budget_poll(m);
}

static void matcher_init(Matcher *m, lua_State *L, const char *s, size_t ls,
                         const char *p, size_t lp) {
  m->L = L;
  m->src = s;
  m->src_end = s + ls;
  m->pat_end = p + lp;
  m->steps = 0;
  m->next_poll = 1;  /* check budget and interruption at the first step */
}

/* Prepare for a match attempt at a new start position. */
static void matcher_reset(Matcher *m) {
  m->depth = KH_MAXDEPTH;
  m->ncap = 0;
}

/* Literal comparison of n bytes, charged one step per KH_CHUNK bytes. */
static int equal_bytes(Matcher *m, const char *a, const char *b, size_t n) {
  while (n > 0) {
    size_t k = n < KH_CHUNK ? n : KH_CHUNK;
    tick(m, 1);
    if (memcmp(a, b, k) != 0) return 0;
    a += k; b += k; n -= k;
  }
  return 1;
}

/* ------------------------------------------------------ character classes */

/* §6.4.1 "%x": %a %c %d %g %l %p %s %u %w %x (and the legacy %z, NUL); an upper-case letter is
   the complement.  Any other character after '%' represents itself. */
static int class_matches(int c, int cl) {
  int r;
  switch (tolower(cl)) {
    case 'a': r = isalpha(c); break;
    case 'c': r = iscntrl(c); break;
    case 'd': r = isdigit(c); break;
    case 'g': r = isgraph(c); break;
    case 'l': r = islower(c); break;
    case 'p': r = ispunct(c); break;
    case 's': r = isspace(c); break;
    case 'u': r = isupper(c); break;
    case 'w': r = isalnum(c); break;
    case 'x': r = isxdigit(c); break;
    case 'z': r = (c == 0); break;
    default: return cl == c;
  }
  if (isupper(cl)) r = !r;
  return r != 0;
}

/* §6.4.1 "[set]": returns the end of the single character class starting at p.  For a set, the
   first character after '[' (or "[^") is always a member, so "[]]" is the set {']'}; "%x" inside
   a set is an escape, so "%]" does not close it. */
static const char *class_end(Matcher *m, const char *p) {
  const char *pe = m->pat_end;
  char c = *p++;
  if (c == KH_ESC) {
    if (p >= pe) luaL_error(m->L, "malformed pattern (ends with '%%')");
    return p + 1;
  }
  if (c != '[') return p;
  if (p < pe && *p == '^') p++;
  for (;;) {
    if (p >= pe) luaL_error(m->L, "malformed pattern (missing ']')");
    if (*p++ == KH_ESC && p < pe) p++;
    if (p < pe && *p == ']') return p + 1;
  }
}

/* §6.4.1 "[set]": does c belong to the set p..ep ('[' at p, ']' at ep[-1])?  Members are "%x"
   classes, ranges "x-y" (a '-' just before the closing ']' is literal) and single characters;
   "[^...]" is the complement. */
static int set_matches(int c, const char *p, const char *ep) {
  const char *close = ep - 1;
  int found = 0, negated = 0;
  p++;
  if (*p == '^') { negated = 1; p++; }
  while (p < close && !found) {
    if (*p == KH_ESC) {
      found = class_matches(c, (unsigned char)p[1]);
      p += 2;
    }
    else if (p[1] == '-' && p + 2 < close) {
      found = (unsigned char)p[0] <= c && c <= (unsigned char)p[2];
      p += 3;
    }
    else {
      found = ((unsigned char)*p == c);
      p++;
    }
  }
  return found != negated;
}

/* §6.4.1 "single character class": one step; does the item p..ep match the character at s? */
static int item_matches(Matcher *m, const char *s, const char *p, const char *ep) {
  int c;
  tick(m, 1);
  if (s >= m->src_end) return 0;
  c = (unsigned char)*s;
  switch (*p) {
    case '.': return 1;                                      /* all characters */
    case KH_ESC: return class_matches(c, (unsigned char)p[1]);
    case '[': return set_matches(c, p, ep);
    default: return (unsigned char)*p == c;                  /* the character itself */
  }
}

/* ------------------------------------------------------------- matcher */

static const char *match_seq(Matcher *m, const char *s, const char *p);

/* Matches the rest of the pattern from p at s, as a nested choice point.  Returns the end of the
   match or NULL.  The nesting depth is bounded ("pattern too complex"). */
static const char *match_at(Matcher *m, const char *s, const char *p) {
  const char *r;
  if (m->depth-- == 0) luaL_error(m->L, "pattern too complex");
  tick(m, 1);
  r = match_seq(m, s, p);
  m->depth++;
  return r;
}

/* §6.4.1 "*" and "+": the longest sequence of matching characters, shortened one character at a
   time until the rest of the pattern matches. */
static const char *match_greedy(Matcher *m, const char *s, const char *p, const char *ep) {
  ptrdiff_t n = 0;
  while (item_matches(m, s + n, p, ep)) n++;
  for (; n >= 0; n--) {
    const char *r = match_at(m, s + n, ep + 1);
    if (r) return r;
  }
  return NULL;
}

/* §6.4.1 "-": the shortest sequence that lets the rest of the pattern match. */
static const char *match_lazy(Matcher *m, const char *s, const char *p, const char *ep) {
  for (;;) {
    const char *r = match_at(m, s, ep + 1);
    if (r) return r;
    if (!item_matches(m, s, p, ep)) return NULL;
    s++;
  }
}

/* §6.4.1 "%bxy": x, then the text up to the y that balances it; one step per character. */
static const char *match_balance(Matcher *m, const char *s, const char *p) {
  int open, close, level = 1;
  if (p + 1 >= m->pat_end)
    luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
  tick(m, 1);
  if (s >= m->src_end || *s != p[0]) return NULL;
  open = (unsigned char)p[0];
  close = (unsigned char)p[1];
  while (++s < m->src_end) {
    int c = (unsigned char)*s;
    tick(m, 1);
    if (c == close) {
      if (--level == 0) return s + 1;
    }
    else if (c == open) level++;
  }
  return NULL;
}

/* §6.4.1 "%f[set]": an empty match where the previous character is not in set and the current one
   is; the beginning and the end of the subject count as '\0'.  Returns the end of the item. */
static const char *match_frontier(Matcher *m, const char *s, const char *p, int *ok) {
  const char *ep;
  int prev, cur;
  if (p >= m->pat_end || *p != '[')
    luaL_error(m->L, "missing '[' after '%%f' in pattern");
  ep = class_end(m, p);
  tick(m, 1);
  prev = (s == m->src) ? 0 : (unsigned char)s[-1];
  cur = (s < m->src_end) ? (unsigned char)*s : 0;
  *ok = !set_matches(prev, p, ep) && set_matches(cur, p, ep);
  return ep;
}

/* §6.4.1 "%n" (1-9): the same text as the n-th capture, which must be closed. */
static const char *match_backref(Matcher *m, const char *s, int digit) {
  int i = digit - '1';
  ptrdiff_t len;
  if (i < 0 || i >= m->ncap || m->cap[i].len == CAP_OPEN)
    luaL_error(m->L, "invalid capture index %%%d", i + 1);
  len = m->cap[i].len;
  tick(m, 1);
  if (len == CAP_POSITION || m->src_end - s < len) return NULL;  /* a position never matches */
  return equal_bytes(m, s, m->cap[i].start, (size_t)len) ? s + len : NULL;
}

/* §6.4.1 "Captures": "(" opens a capture (kind CAP_OPEN) and "()" records a position. */
static const char *open_capture(Matcher *m, const char *s, const char *p, ptrdiff_t kind) {
  const char *r;
  if (m->ncap >= KH_MAXCAPTURES) luaL_error(m->L, "too many captures");
  m->cap[m->ncap].start = s;
  m->cap[m->ncap].len = kind;
  m->ncap++;
  r = match_at(m, s, p);
  if (r == NULL) m->ncap--;  /* undo on backtrack */
  return r;
}

/* ")" closes the innermost capture that is still open. */
static const char *close_capture(Matcher *m, const char *s, const char *p) {
  const char *r;
  int i = m->ncap - 1;
  while (i >= 0 && m->cap[i].len != CAP_OPEN) i--;
  if (i < 0) luaL_error(m->L, "invalid pattern capture");
  m->cap[i].len = s - m->cap[i].start;
  r = match_at(m, s, p);
  if (r == NULL) m->cap[i].len = CAP_OPEN;  /* undo on backtrack */
  return r;
}

/* A single character class with an optional quantifier (§6.4.1 "Pattern Item").  Items that only
   advance continue the loop in match_seq (*next); items needing a choice point recurse and return
   the final result (*done set). */
static const char *match_item(Matcher *m, const char *s, const char **pp, int *done) {
  const char *p = *pp;
  const char *ep = class_end(m, p);
  char q = (ep < m->pat_end) ? *ep : '\0';
  int hit = item_matches(m, s, p, ep);
  *done = 1;
  if (!hit) {
    if (q == '*' || q == '?' || q == '-') {  /* zero repetitions: skip the item */
      *pp = ep + 1; *done = 0;
      return s;
    }
    return NULL;
  }
  switch (q) {
    case '?': {  /* "?": the character if the rest matches after it, else nothing */
      const char *r = match_at(m, s + 1, ep + 1);
      if (r) return r;
      *pp = ep + 1; *done = 0;
      return s;
    }
    case '+': return match_greedy(m, s + 1, p, ep);
    case '*': return match_greedy(m, s, p, ep);
    case '-': return match_lazy(m, s, p, ep);
    default:  /* exactly one character */
      *pp = ep; *done = 0;
      return s + 1;
  }
}

/* Matches the pattern from p against the subject from s; returns the end of the match or NULL. */
static const char *match_seq(Matcher *m, const char *s, const char *p) {
  const char *pe = m->pat_end;
  while (p < pe) {
    int done, ok;
    switch (*p) {
      case '(':
        if (p + 1 < pe && p[1] == ')') return open_capture(m, s, p + 2, CAP_POSITION);
        return open_capture(m, s, p + 1, CAP_OPEN);
      case ')':
        return close_capture(m, s, p + 1);
      case '$':  /* §6.4.1: '$' at the end of a pattern anchors it at the end of the subject */
        if (p + 1 == pe) return (s == m->src_end) ? s : NULL;
        break;   /* elsewhere it is an ordinary character */
      case KH_ESC:
        if (p + 1 >= pe) break;  /* class_end reports the error */
        if (p[1] == 'b') {
          s = match_balance(m, s, p + 2);
          if (s == NULL) return NULL;
          p += 4;
          continue;
        }
        if (p[1] == 'f') {
          p = match_frontier(m, s, p + 2, &ok);
          if (!ok) return NULL;
          continue;
        }
        if (isdigit((unsigned char)p[1])) {
          s = match_backref(m, s, (unsigned char)p[1]);
          if (s == NULL) return NULL;
          p += 2;
          continue;
        }
        break;
      default:
        break;
    }
    s = match_item(m, s, &p, &done);
    if (done) return s;
  }
  return s;
}

/* ------------------------------------------------------ pushing results */

/* Pushes capture i; with no captures, index 0 stands for the whole match s..e. */
static void push_capture(Matcher *m, int i, const char *s, const char *e) {
  if (i >= m->ncap) {
    if (i != 0) luaL_error(m->L, "invalid capture index %%%d", i + 1);
    lua_pushlstring(m->L, s, (size_t)(e - s));
  }
  else if (m->cap[i].len == CAP_OPEN)
    luaL_error(m->L, "unfinished capture");
  else if (m->cap[i].len == CAP_POSITION)
    lua_pushinteger(m->L, (lua_Integer)(m->cap[i].start - m->src) + 1);
  else
    lua_pushlstring(m->L, m->cap[i].start, (size_t)m->cap[i].len);
}

/* Pushes all captures, or the whole match if there are none and s != NULL; returns the count. */
static int push_captures(Matcher *m, const char *s, const char *e) {
  int i, n = (m->ncap == 0 && s != NULL) ? 1 : m->ncap;
  luaL_checkstack(m->L, n, "too many captures");
  for (i = 0; i < n; i++) push_capture(m, i, s, e);
  return n;
}

/* ----------------------------------------------------- library functions */

/* §6.4: negative positions count from the end of the string; positions before the start mean 1. */
static size_t start_index(lua_Integer pos, size_t len) {
  if (pos > 0) return (size_t)pos;
  if (pos == 0 || pos < -(lua_Integer)len) return 1;
  return len + (size_t)pos + 1;
}

static int has_specials(const char *p, size_t lp) {
  size_t i;
  for (i = 0; i < lp; i++)
    if (p[i] != '\0' && strchr(KH_SPECIALS, p[i]) != NULL) return 1;
  return 0;
}

/* string.find with plain = true: first occurrence of p in s (charged per 64 bytes compared). */
static const char *find_plain(Matcher *m, const char *s, size_t ls, const char *p, size_t lp) {
  const char *last;
  if (lp == 0) return s;
  if (lp > ls) return NULL;
  last = s + (ls - lp);  /* last possible start */
  while (s <= last) {
    const char *hit = memchr(s, p[0], (size_t)(last - s) + 1);
    if (hit == NULL) return NULL;
    if (equal_bytes(m, hit + 1, p + 1, lp - 1)) return hit;
    s = hit + 1;
  }
  return NULL;
}

/* Shared body of string.find (find = 1) and string.match (find = 0). */
static int find_or_match(lua_State *L, int find) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
  const char *start;
  int anchored;
  Matcher m;
  if (init > ls) {  /* starting after the end: no match is possible */
    luaL_pushfail(L);
    return 1;
  }
  matcher_init(&m, L, s, ls, p, lp);
  if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
    const char *hit = find_plain(&m, s + init, ls - init, p, lp);
    if (hit == NULL) { luaL_pushfail(L); return 1; }
    lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
    lua_pushinteger(L, (lua_Integer)(hit - s + lp));
    return 2;
  }
  anchored = (lp > 0 && *p == '^');  /* §6.4.1 "Pattern": '^' anchors at the start */
  if (anchored) p++;
  start = s + init;
  do {
    const char *e;
    matcher_reset(&m);
    e = match_at(&m, start, p);
    if (e != NULL) {
      if (!find) return push_captures(&m, start, e);
      lua_pushinteger(L, (lua_Integer)(start - s) + 1);
      lua_pushinteger(L, (lua_Integer)(e - s));
      return push_captures(&m, NULL, NULL) + 2;
    }
  } while (start++ < m.src_end && !anchored);
  luaL_pushfail(L);
  return 1;
}

static int kh_find(lua_State *L) { return find_or_match(L, 1); }
static int kh_match(lua_State *L) { return find_or_match(L, 0); }

/* Iterator state of string.gmatch; the subject and pattern are upvalues 1 and 2. */
typedef struct {
  size_t next;          /* offset where the next search starts */
  ptrdiff_t lastmatch;  /* offset where the previous match ended, or -1 */
} GmatchState;

/* §6.4 string.gmatch: each call returns the captures of the next match.  '^' is not an anchor
   here, and an empty match right where the previous match ended is skipped. */
static int gmatch_step(lua_State *L) {
  size_t ls, lp;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
  const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
  GmatchState *st = (GmatchState *)lua_touserdata(L, lua_upvalueindex(3));
  Matcher m;
  matcher_init(&m, L, s, ls, p, lp);
  for (; st->next <= ls; st->next++) {
    const char *start = s + st->next;
    const char *e;
    matcher_reset(&m);
    e = match_at(&m, start, p);
    if (e != NULL && e - s != st->lastmatch) {
      st->next = (size_t)(e - s);
      st->lastmatch = e - s;
      return push_captures(&m, start, e);
    }
  }
  return 0;  /* no more matches */
}

static int kh_gmatch(lua_State *L) {
  size_t ls;
  GmatchState *st;
  size_t init;
  luaL_checklstring(L, 1, &ls);
  luaL_checklstring(L, 2, NULL);
  init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
  lua_settop(L, 2);
  st = (GmatchState *)lua_newuserdatauv(L, sizeof(GmatchState), 0);
  st->next = (init > ls) ? ls + 1 : init;
  st->lastmatch = -1;
  lua_pushcclosure(L, gmatch_step, 3);
  return 1;
}

/* §6.4 string.gsub with a string repl: '%' escapes; %0 is the whole match, %1-%9 captures
   (with no captures %1 is the whole match), %% a single '%'. */
static void add_template(Matcher *m, luaL_Buffer *b, const char *s, const char *e) {
  size_t l;
  const char *r = lua_tolstring(m->L, 3, &l);
  const char *end = r + l;
  for (;;) {
    const char *esc = memchr(r, KH_ESC, (size_t)(end - r));
    if (esc == NULL) break;
    luaL_addlstring(b, r, (size_t)(esc - r));
    r = esc + 2;
    if (esc + 1 == end)
      luaL_error(m->L, "invalid use of '%%' in replacement string");
    else if (esc[1] == KH_ESC)
      luaL_addchar(b, KH_ESC);
    else if (esc[1] == '0')
      luaL_addlstring(b, s, (size_t)(e - s));
    else if (isdigit((unsigned char)esc[1])) {
      push_capture(m, esc[1] - '1', s, e);
      luaL_addvalue(b);  /* a position capture is added as its decimal text */
    }
    else
      luaL_error(m->L, "invalid use of '%%' in replacement string");
  }
  luaL_addlstring(b, r, (size_t)(end - r));
}

/* §6.4 string.gsub: appends the replacement for the match s..e.  A table is indexed with the first
   capture, a function called with all captures; false or nil keeps the original text. */
static void add_replacement(Matcher *m, luaL_Buffer *b, const char *s, const char *e, int tr) {
  lua_State *L = m->L;
  if (tr == LUA_TFUNCTION) {
    int n;
    lua_pushvalue(L, 3);
    n = push_captures(m, s, e);
    lua_call(L, n, 1);
  }
  else if (tr == LUA_TTABLE) {
    push_capture(m, 0, s, e);
    lua_gettable(L, 3);
  }
  else {
    add_template(m, b, s, e);
    return;
  }
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));
  }
  else if (!lua_isstring(L, -1))
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  else
    luaL_addvalue(b);
}

static int kh_gsub(lua_State *L) {
  size_t ls, lp;
  const char *src = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  int tr = lua_type(L, 3);
  lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
  lua_Integer n = 0;
  const char *s = src, *lastmatch = NULL;
  int anchored = (lp > 0 && *p == '^');
  luaL_Buffer b;
  Matcher m;
  luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING ||
                      tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3, "string/function/table");
  if (anchored) { p++; lp--; }
  luaL_buffinit(L, &b);
  matcher_init(&m, L, src, ls, p, lp);
  while (n < max_n) {
    const char *e;
    matcher_reset(&m);
    e = match_at(&m, s, p);
    if (e != NULL && e != lastmatch) {  /* an empty match right after the previous one is skipped */
      n++;
      add_replacement(&m, &b, s, e, tr);
      s = lastmatch = e;
    }
    else if (s < m.src_end)
      luaL_addchar(&b, *s++);
    else
      break;
    if (anchored) break;
  }
  luaL_addlstring(&b, s, (size_t)(m.src_end - s));
  luaL_pushresult(&b);
  lua_pushinteger(L, n);
  return 2;
}

void kh_pattern_register(lua_State *L, int idx) {
  static const luaL_Reg funcs[] = {
    {"find", kh_find}, {"match", kh_match}, {"gmatch", kh_gmatch}, {"gsub", kh_gsub},
    {NULL, NULL}
  };
  const luaL_Reg *f;
  idx = lua_absindex(L, idx);
  for (f = funcs; f->name != NULL; f++) {
    lua_pushcfunction(L, f->func);
    lua_setfield(L, idx, f->name);
  }
}
