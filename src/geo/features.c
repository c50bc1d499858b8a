/* features.c - reading GeoJSON FeatureCollections of places (see geo.h). */
#include <jansson.h>
#include <string.h>
#include "geo.h"

/* Copies a string property, or def if absent; NULL if present but not a string. */
static char *prop(json_t *props, const char *key, const char *def, int *bad)
{
    json_t *v = json_object_get(props, key);
    if (v == NULL || json_is_null(v))
        return def ? xstrdup(def) : (*bad = 1, NULL);
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return xstrdup(json_string_value(v));
}

/* Fills one feature; ERR_INVALID naming feature i. */
static int read_feature(json_t *f, size_t i, struct geo_feature *out, struct err *e)
{
    json_t *props = json_object_get(f, "properties"), *geom = json_object_get(f, "geometry");
    int bad = !json_is_object(f) || !json_is_object(props);
    memset(out, 0, sizeof *out);
    if (!bad) {
        out->code = prop(props, "code", NULL, &bad);
        out->kind = prop(props, "kind", NULL, &bad);
        out->name = prop(props, "name", NULL, &bad);
        out->parent = prop(props, "parent", "", &bad);
    }
    if (bad)
        return err_set(e, ERR_INVALID, "features",
                       "feature %zu needs properties code, kind and name (strings)", i);
    if (geom && !json_is_null(geom) && !json_is_object(geom))
        return err_set(e, ERR_INVALID, "features", "feature %zu (%s): geometry must be an object",
                       i, out->code);
    out->geometry = json_is_object(geom) ? json_dumps(geom, JSON_COMPACT) : NULL;
    return 0;
}

int geo_features_parse(const char *text, size_t len, struct geo_feature **out, int *n,
                       struct err *e)
{
    json_error_t je;
    json_t *fc = json_loadb(text, len, 0, &je), *features, *f;
    size_t i;
    int rc = 0;
    *out = NULL;
    *n = 0;
    if (fc == NULL)
        return err_set(e, ERR_INVALID, NULL, "not JSON (line %d column %d: %s)", je.line, je.column,
                       je.text);
    features = json_object_get(fc, "features");
    if (!json_is_string(json_object_get(fc, "type")) ||
        strcmp(json_string_value(json_object_get(fc, "type")), "FeatureCollection") != 0 ||
        !json_is_array(features)) {
        json_decref(fc);
        return err_set(e, ERR_INVALID, "type", "not a GeoJSON FeatureCollection");
    }
    struct geo_feature *v = xcalloc(json_array_size(features) + 1, sizeof *v);
    json_array_foreach(features, i, f)
    {
        if ((rc = read_feature(f, i, &v[i], e)) != 0) {
            geo_features_free(v, (int)i + 1);
            json_decref(fc);
            return rc;
        }
    }
    *out = v;
    *n = (int)json_array_size(features);
    json_decref(fc);
    return 0;
}

void geo_features_free(struct geo_feature *f, int n)
{
    for (int i = 0; f && i < n; i++) {
        xfree(f[i].code);
        xfree(f[i].kind);
        xfree(f[i].name);
        xfree(f[i].parent);
        xfree(f[i].geometry); /* from jansson's malloc */
    }
    xfree(f);
}
