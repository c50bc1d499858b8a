/* api_case.h - cases and whistles (/cases, /whistles) and the reference
 * data of cases (/categories, /whistle-types, /transitions). */
#ifndef CHUISHAO_API_CASE_H
#define CHUISHAO_API_CASE_H

#include "api/api_int.h"
#include "domain/case/case.h"

extern const struct table_part api_case_routes;

/* Streamed encoders (api_case_json.c). api_case_jw calls more(c, w, arg)
 * inside the case object to add fields (may be NULL); full adds what only a
 * single case's answer carries (the reporter's phone to those who may see
 * it, the visit). */
void api_case_jw(struct api_ctx *c, struct jw *w, const struct store_case *k, int full,
                 void (*more)(struct api_ctx *c, struct jw *w, void *arg), void *arg);
void api_case_event_jw(struct jw *w, const struct store_event *ev);
/* A whistle with its summoned units (read from the store). ERR_STORE. */
int api_case_whistle_jw(struct api_ctx *c, struct jw *w, const struct store_whistle *wh);

/* "note_required": b, "fields": [...], "required": [...]: what a request of
 * action t by who carries (who NULL: by anyone), as a case's `actions` and
 * GET /transitions write it. */
void api_case_action_needs_jw(struct jw *w, const struct case_transition *t,
                              const struct actor *who);

/* The reference data (api_case_ref.c). */
int api_categories_list(struct api_ctx *c);
int api_whistle_types_list(struct api_ctx *c);
int api_transitions_list(struct api_ctx *c);

#endif
