#!/bin/sh
# Cargo runs this for every compiler invocation of the workspace's own
# crates (`build.rustc-workspace-wrapper` in config.toml) as
# `workspace-rustc.sh RUSTC ARGS...`; dependencies are compiled without it.
#
# On x86-64 Linux it builds the lunette crates position-dependent
# (`-C relocation-model=static`): the interpreter's dispatch then jumps
# through a table of absolute addresses (`jmp *table(,%reg,8)`) instead of
# adding each 32-bit offset to a table base held in a register, 5-6% fewer
# instructions on every benchmark (docs/performance.md, "Position-dependent
# executables"). Executables built so are not randomised by ASLR (their
# libraries, heap and stacks still are). Set LUNETTE_PIE=1 (and
# `cargo clean`) for position-independent builds.
#
# The flag cannot go in `build.rustflags`: those reach proc-macro crates
# (dependencies of the browser and terminal tests), which are shared
# objects and must be position-independent.
if [ -z "$LUNETTE_PIE" ] && [ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ]; then
    case " $* " in
    *" --target "*) ;; # a cross build: left as it is
    *" --crate-type proc-macro "* | *" --crate-type cdylib "* | *" --crate-type dylib "*) ;;
    *) exec "$@" -C relocation-model=static ;;
    esac
fi
exec "$@"
