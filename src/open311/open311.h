/*
 * open311.h - the Open311 GeoReport v2 door (/open311/v2/, docs/open311.md):
 * civic apps read and report cases through the spec's resources, in XML or
 * JSON, answered from the same store and domain as the JSON API.
 */
#ifndef CHUISHAO_OPEN311_H
#define CHUISHAO_OPEN311_H

#include "api/api.h"

/* Answers a request whose path starts with /open311/ (in the format its
 * path asks for), over the store and domain of api. Never fails: errors
 * become the spec's error document. Thread-safe. */
void open311_handle(struct api *api, const struct api_req *req, struct api_resp *resp);

/* Answers an error of code (the status of the one error table, core.h) with
 * message msg in the spec's error document, in the format req's path asks
 * for, for refusals made before a request reaches open311_handle (the HTTP
 * server's 413). The body lives in req->arena. */
void open311_error(const struct api_req *req, struct api_resp *resp, int code, const char *msg);

#endif
