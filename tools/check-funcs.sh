#!/bin/sh
# The function-length watch (as curl's checksrc does): every function body
# in src/ is measured from its opening "{" to its closing "}" at column 0.
# Over 60 lines it is reported as a warning, over 100 it fails the check.
# Usage: tools/check-funcs.sh [-v] [FILE...]   (-v: also print the median)
verbose=0
[ "$1" = "-v" ] && { verbose=1; shift; }
[ $# -eq 0 ] && set -- $(find src -name '*.c' | sort)
awk -v verbose=$verbose '
FNR == 1 { inbody = 0 }
/^[A-Za-z_].*[A-Za-z0-9_]\(/ && !/;[ \t]*$/ && !inbody { head = $0; headline = FNR; file = FILENAME }
/^\{[ \t]*$/ && head != "" && !inbody { inbody = 1; start = FNR; next }
/^\}/ && inbody {
    n = FNR - start - 1; inbody = 0
    name = head; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
    lens[++count] = n
    if (n > 100) { printf "function length: %s:%d %s is %d lines (over 100: split it)\n", file, headline, name, n; fail = 1 }
    else if (n > 60) { printf "function length: %s:%d %s is %d lines (over 60)\n", file, headline, name, n; warn++ }
    head = ""
}
END {
    if (verbose && count) {
        # median by insertion sort (a few thousand functions)
        for (i = 2; i <= count; i++) { v = lens[i]; j = i - 1; while (j > 0 && lens[j] > v) { lens[j + 1] = lens[j]; j-- } lens[j + 1] = v }
        printf "function length: %d functions, median %d lines, longest %d\n", count, lens[int((count + 1) / 2)], lens[count]
    }
    if (fail) exit 1
    printf "function length: ok (%d over 60 lines, none over 100)\n", warn
}' "$@"
