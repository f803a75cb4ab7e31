//! The standard libraries, one file per library.

pub mod base;
pub mod base_call;
pub mod base_load;
pub mod base_yieldable;
pub mod cformat;
pub mod coroutine;
pub mod debug;
pub mod debug_frames;
pub mod io;
pub mod io_file;
mod io_read;
pub mod io_stdout;
pub mod lpattern;
pub mod math;
pub mod math_random;
pub mod os;
pub mod os_time;
pub mod package;
pub mod strformat;
pub mod string;
pub mod strmatch;
pub mod strpack;
mod support;
pub mod table;
pub mod table_sort;
pub mod utf8;
pub mod warn;

use crate::vm::Vm;

/// Opens every standard library into `vm`'s globals.
pub fn open_libs(vm: &mut Vm) {
    base::open(vm);
    base_call::open(vm);
    coroutine::open(vm);
    string::open(vm);
    table::open(vm);
    math::open(vm);
    utf8::open(vm);
    os::open(vm);
    io::open(vm);
    debug::open(vm);
    warn::open(vm);
    package::open(vm);
}
