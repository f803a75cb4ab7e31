//! Source text -> compile -> verify -> run, under an instruction budget and
//! a memory ceiling. Any input must end in a result or a Lua error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lunette::Vm;

fuzz_target!(|data: &[u8]| {
    let mut vm = Vm::new();
    lunette::stdlib::open_libs(&mut vm);
    vm.set_memory_limit(Some(64 << 20));
    vm.set_instruction_limit(Some(200_000));
    vm.begin_host_run();
    if let Ok(f) = lunette::load_text(&mut vm, data, b"=fuzz") {
        let _ = vm.pcall_function(f, &[]);
    }
});
