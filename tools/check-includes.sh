#!/bin/sh
# The direction of the project's own includes (docs/architecture.md):
#  - a module (the first folder under src/) includes only modules of lower
#    layers, or its own; never one of its layer or above (core < cal, geo <
#    store < domain < auth, report < api, demo < open311 < http < cli < main);
#  - an internal header (*_int.h) is included only from its own folder or
#    from below it (a layer's shared kit reaches its subjects; one subject's
#    internals reach no other subject);
#  - includes of the project are written from src/ ("store/case/store_case.h"),
#    or bare for a header in the same folder.
fail=0
bad() { echo "include check: $*"; fail=1; }
rank() {
    case "$1" in
    core) echo 0 ;; cal | geo) echo 1 ;; store) echo 2 ;; domain) echo 3 ;;
    auth | report) echo 4 ;; api | demo) echo 5 ;; open311) echo 6 ;; http) echo 7 ;;
    cli) echo 8 ;; main.c) echo 9 ;; *) echo -1 ;;
    esac
}
for f in $(find src -name '*.c' -o -name '*.h' | sort); do
    rel=${f#src/}
    mod=${rel%%/*}
    dir=$(dirname "$rel")
    r=$(rank "$mod")
    [ "$r" -lt 0 ] && { bad "$f: module '$mod' has no layer (add it to tools/check-includes.sh)"; continue; }
    for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f"); do
        case "$inc" in
        */*) target=$inc ;;
        *)
            if [ -f "src/$dir/$inc" ]; then target="$dir/$inc"
            elif [ -f "build/gen/$inc" ]; then continue
            else bad "$f: \"$inc\" is not in its folder (write it from src/)"; continue; fi ;;
        esac
        [ -f "src/$target" ] || { bad "$f: \"$inc\" is not a file under src/"; continue; }
        tmod=${target%%/*}
        tr=$(rank "$tmod")
        if [ "$tmod" != "$mod" ] && [ "$tr" -ge "$r" ]; then
            bad "$f includes $target: $mod may not include $tmod (same or higher layer)"
        fi
        case "$target" in
        *_int.h)
            tdir=$(dirname "$target")
            case "$dir/" in
            "$tdir"/*) ;;
            *) bad "$f includes $target: an internal header is for its own folder ($tdir)" ;;
            esac ;;
        esac
    done
done
# Role checks are rules: only src/domain/ names the roles.
for f in $(grep -rlE '\bROLE_[A-Z]+' src --include=*.c --include=*.h | grep -v '^src/domain/'); do
    bad "$f names a role (ROLE_...): who may do what is decided in src/domain/"
done
[ $fail -eq 0 ] && echo "include check: ok"
exit $fail
