//! Binary chunk -> undump -> verify -> run, under an instruction budget and
//! a memory ceiling. Any input must be rejected with an error, or run to a
//! result or a Lua error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lunette::Vm;
use std::rc::Rc;

fuzz_target!(|data: &[u8]| {
    let Ok(proto) = lunette::bytecode::dump::undump(data, b"=fuzz") else {
        return;
    };
    let mut vm = Vm::new();
    lunette::stdlib::open_libs(&mut vm);
    vm.set_memory_limit(Some(64 << 20));
    vm.set_instruction_limit(Some(200_000));
    vm.begin_host_run();
    if let Ok(f) = vm.load_proto(Rc::new(proto), None) {
        let _ = vm.pcall_function(f, &[]);
    }
});
