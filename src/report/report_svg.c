/* report_svg.c - the report card's charts as inline SVG, drawn here (no
 * script, no network): columns (received by month), lines (rates by month)
 * and horizontal bars (top problems, hot spots). Every chart is 720 units
 * wide and scales with the page (viewBox); text takes the page's font. */
#include <math.h>
#include <string.h>
#include "report_int.h"

#define W      720.0 /* chart width */
#define LEFT   48.0  /* room for the y axis labels */
#define RIGHT  12.0  /* right margin */
#define TOP    34.0  /* room for the title (and legend) */
#define BOTTOM 28.0  /* room for the x labels */
#define PLOT_H 180.0 /* height of the plotting area */

/* A tick step of 1, 2 or 5 times a power of ten, so that 4 steps reach v
 * (1 for small v). */
static double nice_step(double v)
{
    double raw = v / 4;
    if (raw <= 1)
        return 1;
    double p = pow(10, floor(log10(raw)));
    for (int i = 0; i < 3; i++) {
        double m = (double[]){1, 2, 5}[i] * p;
        if (m >= raw)
            return m;
    }
    return 10 * p;
}

/* <svg ...><title>..</title> and the title text at the top left. */
static void open_svg(struct buf *b, const char *title, double h)
{
    buf_appendf(b,
                "<svg class=\"chart\" viewBox=\"0 0 %.0f "
                "%.0f\" role=\"img\"><title>",
                W, h);
    report_html_esc(b, title);
    buf_appendf(b, "</title><text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\" "
                   "fill=\"#222\">");
    report_html_esc(b, title);
    buf_appendf(b, "</text>");
}

/* Horizontal grid lines and y labels for lo..max (pct: as percentages). */
static void y_axis(struct buf *b, double lo, double max, int pct)
{
    for (int i = 0; i <= 4; i++) {
        double y = TOP + PLOT_H - PLOT_H * i / 4, v = lo + (max - lo) * i / 4;
        buf_appendf(b,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"1\"/>",
                    LEFT, y, W - RIGHT, y, i ? "#e3e3e3" : "#888");
        if (pct)
            buf_appendf(b,
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                        "fill=\"#555\">%.0f%%</text>",
                        LEFT - 6, y + 4, v * 100);
        else
            buf_appendf(b,
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                        "fill=\"#555\">%.0f</text>",
                        LEFT - 6, y + 4, v);
    }
}

/* The x labels under n bands (every step-th one when crowded). */
static void x_labels(struct buf *b, const char *const *labels, int n)
{
    double band = (W - LEFT - RIGHT) / n;
    int step = n > 12 ? (n + 11) / 12 : 1;
    for (int i = 0; i < n; i += step) {
        buf_appendf(b,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" "
                    "fill=\"#333\">",
                    LEFT + band * (i + 0.5), TOP + PLOT_H + 18);
        report_html_esc(b, labels[i]);
        buf_appendf(b, "</text>");
    }
}

static int close_svg(struct buf *b)
{
    buf_appendf(b, "</svg>\n");
    return b->overflow ? ERR_TOOBIG : 0;
}

int report_svg_columns(struct buf *b, const char *title, const char *const *labels,
                       const double *values, int n)
{
    double max = 0, band = n > 0 ? (W - LEFT - RIGHT) / n : 0;
    for (int i = 0; i < n; i++)
        max = values[i] > max ? values[i] : max;
    max = 4 * nice_step(max);
    open_svg(b, title, TOP + PLOT_H + BOTTOM);
    y_axis(b, 0, max, 0);
    for (int i = 0; i < n; i++) {
        double bw = band * 0.6 < 56 ? band * 0.6 : 56;
        double h = PLOT_H * values[i] / max, x = LEFT + band * (i + 0.5) - bw / 2;
        buf_appendf(b,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    "fill=\"#b8312f\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                    "text-anchor=\"middle\" fill=\"#222\">%.0f</text>",
                    x, TOP + PLOT_H - h, bw, h, x + bw / 2, TOP + PLOT_H - h - 4, values[i]);
    }
    x_labels(b, labels, n);
    return close_svg(b);
}

/* The y of a fraction v on an axis from lo to 1. */
static double y_of(double v, double lo)
{
    return TOP + PLOT_H - PLOT_H * (v - lo) / (1 - lo);
}

/* One series on an axis from lo to 1: polylines through runs of defined
 * points, a dot on each. */
static void series(struct buf *b, const struct report_series *s, int n, double lo)
{
    double band = (W - LEFT - RIGHT) / n;
    int open = 0;
    for (int i = 0; i <= n; i++) {
        int ok = i < n && s->values[i] >= 0;
        if (ok && !open)
            buf_appendf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                        s->color);
        if (ok)
            buf_appendf(b, "%.1f,%.1f ", LEFT + band * (i + 0.5), y_of(s->values[i], lo));
        if (!ok && open)
            buf_appendf(b, "\"/>");
        open = ok;
    }
    for (int i = 0; i < n; i++)
        if (s->values[i] >= 0)
            buf_appendf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                        LEFT + band * (i + 0.5), y_of(s->values[i], lo), s->color);
}

int report_svg_lines(struct buf *b, const char *title, const char *const *labels,
                     const struct report_series *s, int k, int n)
{
    double lo = 1; /* the axis starts at 0, 20, 40, 60 or 80% below the lowest value */
    for (int j = 0; j < k; j++)
        for (int i = 0; i < n; i++)
            if (s[j].values[i] >= 0 && s[j].values[i] < lo)
                lo = s[j].values[i];
    lo = floor(lo * 5) / 5;
    lo = lo > 0.8 ? 0.8 : lo;
    open_svg(b, title, TOP + PLOT_H + BOTTOM);
    y_axis(b, lo, 1, 1);
    for (int j = 0; j < k; j++) { /* legend, right-aligned rows of 130 units */
        double x = W - RIGHT - 130.0 * (k - j);
        buf_appendf(b,
                    "<line x1=\"%.1f\" y1=\"12\" x2=\"%.1f\" y2=\"12\" stroke=\"%s\" "
                    "stroke-width=\"3\"/><text x=\"%.1f\" y=\"16\" font-size=\"12\" "
                    "fill=\"#333\">",
                    x, x + 18, s[j].color, x + 24);
        report_html_esc(b, s[j].name);
        buf_appendf(b, "</text>");
    }
    for (int j = 0; n > 0 && j < k; j++)
        series(b, &s[j], n, lo);
    x_labels(b, labels, n);
    return close_svg(b);
}

int report_svg_hbars(struct buf *b, const char *title, const char *const *labels,
                     const double *values, int n)
{
    const double label_w = 220, row = 24;
    double max = 0, plot_w = W - label_w - 60;
    for (int i = 0; i < n; i++)
        max = values[i] > max ? values[i] : max;
    open_svg(b, title, TOP + row * n + 6);
    for (int i = 0; i < n; i++) {
        double y = TOP + row * i, w = max > 0 ? plot_w * values[i] / max : 0;
        buf_appendf(b,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" "
                    "fill=\"#222\">",
                    label_w - 8, y + 16);
        report_html_esc(b, labels[i]);
        buf_appendf(b,
                    "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" "
                    "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                    "fill=\"#222\">%.0f</text>",
                    label_w, y + 4, w, i < 3 ? "#b8312f" : "#d9826f", label_w + w + 6, y + 16,
                    values[i]);
    }
    return close_svg(b);
}
