/* cli_geo.c - `geo import|export|convert|locate`: boundaries and points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_place.h"
#include "geo/geo.h"

/* Reads a whole file (at most 256 MiB) into b. Returns an exit code. */
static int read_file(const char *path, struct buf *b)
{
    char chunk[65536];
    size_t n;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return cli_fail(3, "cannot open %s", path);
    buf_init(b, (size_t)256 << 20);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_append(b, chunk, n)) {
            buf_free(b);
            if (f != stdin)
                fclose(f);
            return cli_fail(4, "%s is larger than 256 MiB", path);
        }
    if (f != stdin)
        fclose(f);
    return 0;
}

/* geo import FILE [--epsg N] [--dry-run]: validate, then replace the tree. */
static int cli_geo_import_cmd(struct cli *c)
{
    struct buf b;
    char path[128];
    const char *epsg = cli_opt(c, "epsg");
    int64_t code = 0;
    if (epsg && (str_to_i64(epsg, &code) || code < 1000 || code > 999999))
        return cli_fail(2, "--epsg must be an EPSG code such as 4326 or 4543");
    int rc = read_file(c->pos[0], &b);
    if (rc)
        return rc;
    if ((rc = cli_open(c, 0)) == 0) {
        snprintf(path, sizeof path, "/api/v1/places/import?epsg=%lld&dry_run=%d", (long long)code,
                 cli_flag(c, "dry-run"));
        rc = cli_api_raw(c, "POST", path, b.data ? b.data : "", b.len, 0);
        cli_close(c);
    }
    buf_free(&b);
    return rc;
}

/* geo export [--kind K]: one GeoJSON FeatureCollection on stdout. */
static int cli_geo_export_cmd(struct cli *c)
{
    char path[128];
    const char *kind = cli_opt(c, "kind");
    snprintf(path, sizeof path, "/api/v1/places?format=geojson%s%s", kind ? "&kind=" : "",
             kind ? kind : "");
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    rc = cli_api_raw(c, "GET", path, NULL, 0, 1);
    cli_close(c);
    return rc;
}

/* Parses LON LAT from the positional arguments. */
static int lonlat(struct cli *c, int first, double *lon, double *lat)
{
    char *e1, *e2;
    *lon = strtod(c->pos[first], &e1);
    *lat = strtod(c->pos[first + 1], &e2);
    if (*c->pos[first] == '\0' || *e1 || *c->pos[first + 1] == '\0' || *e2 ||
        geo_check_lonlat(*lon, *lat, NULL))
        return cli_fail(4, "LON LAT must be numbers within [-180,180] and [-90,90]");
    return 0;
}

/* geo convert --from S --to S LON LAT: prints "LON LAT" with 7 decimals. */
static int cli_geo_convert_cmd(struct cli *c)
{
    const char *from = cli_opt(c, "from"), *to = cli_opt(c, "to");
    int f = from ? geo_crs_parse(from) : 0, t = to ? geo_crs_parse(to) : 0;
    double lon, lat;
    if (f == 0 || t == 0)
        return cli_fail(2, "give --from and --to: wgs84, gcj02 or bd09");
    if (lonlat(c, 0, &lon, &lat))
        return 4;
    geo_convert(f, t, lon, lat, &lon, &lat);
    printf("%.7f %.7f\n", lon, lat);
    return 0;
}

/* geo locate LON LAT [--crs S]: the grid of a point. */
static int cli_geo_locate_cmd(struct cli *c)
{
    char path[160];
    double lon, lat;
    if (lonlat(c, 0, &lon, &lat))
        return 4;
    snprintf(path, sizeof path, "/api/v1/places/locate?lon=%.9f&lat=%.9f&crs=%s", lon, lat,
             cli_opt(c, "crs") ? cli_opt(c, "crs") : "wgs84");
    return cli_get(c, path);
}

static const struct cli_cmd cmds[] = {
    {"geo convert", cli_geo_convert_cmd, "LON LAT", "from to", 2, 2,
     "convert a point: wgs84, gcj02, bd09 (prints LON LAT)"},
    {"geo export", cli_geo_export_cmd, "", "db as kind", 0, 0,
     "the place tree as one GeoJSON FeatureCollection"},
    {"geo import", cli_geo_import_cmd, "FILE", "db as epsg dry-run", 1, 1,
     "validate and load a GeoJSON boundary set (replaces the tree)"},
    {"geo locate", cli_geo_locate_cmd, "LON LAT", "db as crs", 2, 2,
     "the grid and community of a point"},
};
CLI_CMDS(cli_place_cmds, "place", cmds);
