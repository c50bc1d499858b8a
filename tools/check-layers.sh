#!/bin/sh
# The layer rule of DESIGN.md §3, checked from #include lines and calls:
# SQL drivers only in src/store, libmicrohttpd only in src/http, JSON only in
# src/api (and the CLI, which prints what the API returns; and src/geo for
# GeoJSON), GEOS and PROJ only in src/geo, banned calls nowhere; src/report
# (the report card) renders documents: no SQL, no JSON, no sockets.
fail=0
bad() { echo "layer check: $*"; fail=1; }
for f in $(grep -rlE '#include *[<"](sqlite3|libpq-fe)\.h' src | grep -v '^src/store/'); do
    bad "$f includes a database driver header (only src/store/ may)"; done
for f in $(grep -rlE 'sqlite3_|PQexec' src | grep -v '^src/store/'); do
    bad "$f calls the database driver (only src/store/ may)"; done
for f in $(grep -rlE '#include *[<"]microhttpd\.h' src | grep -v '^src/http/'); do
    bad "$f includes microhttpd.h (only src/http/ may)"; done
for f in $(grep -rlE '#include *[<"]jansson\.h' src | grep -vE '^src/(api|cli|geo)/'); do
    bad "$f includes jansson.h (only src/api/, src/cli/ and src/geo/ (GeoJSON) may)"; done
for f in $(grep -rlE '#include *[<"](geos_c|proj)\.h' src | grep -v '^src/geo/'); do
    bad "$f includes GEOS or PROJ (only src/geo/ may)"; done
for f in $(grep -rlE '#include *[<"](jansson\.h|[./]*(api/)?jw\.h|sys/socket\.h|netinet/[a-z]+\.h)' src/report); do
    bad "$f: src/report renders documents only (no JSON, no sockets; the JSON form is src/api/stats/api_report.c)"; done
for f in $(grep -rlE '\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b' src --include=*.c | grep -v '^src/store/'); do
    bad "$f contains SQL (only src/store/ may)"; done
for f in $(grep -rlE '[^_a-z](sprintf|strcpy|strcat|strncpy|gets|strtok|atoi)\(' src --include=*.c); do
    bad "$f uses a banned call (sprintf strcpy strcat strncpy gets strtok atoi)"; done
for f in $(grep -rlE '[^_a-z](malloc|calloc|realloc|free)\(' src --include=*.c | grep -v '^src/core/mem.c'); do
    bad "$f calls malloc/free directly (use xmalloc/xfree from core)"; done
[ $fail -eq 0 ] && echo "layer check: ok"
exit $fail
