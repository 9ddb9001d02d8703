/*
 * kh_pattern.h - budgeted Lua 5.4 pattern matching for the kaohe sandbox (private header).
 *
 * Lua's own string.find/match/gmatch/gsub run their pattern matcher in C, where no debug hook
 * can interrupt them, so a pathological pattern can spin for hours.  kh_pattern.c is a
 * clean-room implementation of Lua 5.4 patterns (reference manual §6.4.1) that counts its
 * work and raises a Lua error once a per-call step budget is exhausted.
 */
#ifndef KH_PATTERN_H
#define KH_PATTERN_H

#include "lua.h"
#include "lauxlib.h"

/* Replaces find, match, gmatch and gsub in the table at stack index `idx` (the sandbox's string table)
   with budgeted versions. */
void kh_pattern_register(lua_State *L, int idx);

/* Maximum matcher steps per call (default 1<<25). A step = one attempt to match one pattern item at one
   subject position (count it in the innermost loop of your matcher, including each backtracking attempt). */
extern long kh_pattern_step_budget;

/* Provided by the host elsewhere (do not define it in kh_pattern.c; define a stub in your difftest .c):
   returns nonzero when the host wants the running script stopped (time limit). Check it every 4096 steps. */
int kh_interrupted(lua_State *L);

#endif /* KH_PATTERN_H */
