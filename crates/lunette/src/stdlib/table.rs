//! The `table` library: `concat`, `insert`, `move`, `pack`, `remove`,
//! `sort`, `unpack`. Element access honours `__index`/`__newindex`/`__len`
//! as Lua 5.4 does, with a raw fast path for tables without a metatable.

use super::support::{geti, length_of, meta_field, register_qualified, seti};
use super::table_sort::{sort as quicksort, SortAccess};
use crate::vm::{Args, LuaError, LuaResult, Value, Vm};

/// Registers the library in `vm`.
pub fn open(vm: &mut Vm) {
    register_qualified(
        vm,
        "table",
        &[
            ("table.concat", concat),
            ("table.insert", insert),
            ("table.move", move_),
            ("table.pack", pack),
            ("table.remove", remove),
            ("table.sort", sort),
            ("table.unpack", unpack),
        ],
    );
}

const NEED_READ: u8 = 1;
const NEED_WRITE: u8 = 2;
const NEED_LEN: u8 = 4;

/// Checks that argument `i` is a table, or has the metamethods standing in
/// for the operations in `what` (`checktab`).
fn check_tab(vm: &mut Vm, args: Args, i: usize, what: u8) -> LuaResult<Value> {
    let v = vm.arg(args, i);
    if let Value::Table(_) = v {
        return Ok(v);
    }
    if vm.get_metatable(v).is_some() {
        let ok = (what & NEED_READ == 0 || !meta_field(vm, v, "__index").is_nil())
            && (what & NEED_WRITE == 0 || !meta_field(vm, v, "__newindex").is_nil())
            && (what & NEED_LEN == 0 || !meta_field(vm, v, "__len").is_nil());
        if ok {
            return Ok(v);
        }
    }
    Err(vm.type_arg_error(args, i, "table"))
}

/// `checktab` plus `luaL_len`.
fn table_len(vm: &mut Vm, args: Args, i: usize, what: u8) -> LuaResult<(Value, i64)> {
    let t = check_tab(vm, args, i, what | NEED_LEN)?;
    let n = length_of(vm, t)?;
    Ok((t, n))
}

fn insert(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (t, n) = table_len(vm, args, 1, NEED_READ | NEED_WRITE)?;
    let end = n.wrapping_add(1);
    let pos = match args.len {
        2 => end,
        3 => {
            let pos = vm.check_int(args, 2)?;
            if (pos as u64).wrapping_sub(1) >= end as u64 {
                return Err(vm.arg_error(2, "position out of bounds"));
            }
            let mut i = end;
            vm.charge((end - pos).max(0) as usize)?;
            if i > pos {
                // into the absent key `end`: may run `__newindex`
                let v = geti(vm, t, i - 1)?;
                seti(vm, t, i, v)?;
                i -= 1;
                if let Value::Table(tt) = t {
                    if tt.shift_present(pos, i - 1, true) {
                        i = pos;
                    }
                }
            }
            while i > pos {
                let v = geti(vm, t, i - 1)?;
                seti(vm, t, i, v)?;
                i -= 1;
            }
            pos
        }
        _ => return Err(vm.native_error("wrong number of arguments to 'insert'")),
    };
    let v = vm.arg(args, args.len);
    seti(vm, t, pos, v)?;
    Ok(0)
}

fn remove(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (t, size) = table_len(vm, args, 1, NEED_READ | NEED_WRITE)?;
    let mut pos = vm.opt_int(args, 2, size)?;
    if pos != size && (pos as u64).wrapping_sub(1) > size as u64 {
        return Err(vm.arg_error(1, "position out of bounds"));
    }
    let removed = geti(vm, t, pos)?;
    // on the stack at once: metamethods below may run the collector
    vm.push(removed);
    vm.charge((size - pos).max(0) as usize)?;
    if let Value::Table(tt) = t {
        if pos < size && tt.shift_present(pos + 1, size, false) {
            pos = size;
        }
    }
    while pos < size {
        let v = geti(vm, t, pos + 1)?;
        seti(vm, t, pos, v)?;
        pos += 1;
    }
    seti(vm, t, pos, Value::Nil)?;
    Ok(1)
}

fn move_(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let f = vm.check_int(args, 2)?;
    let e = vm.check_int(args, 3)?;
    let t = vm.check_int(args, 4)?;
    let dest_arg = if vm.arg(args, 5).is_nil() { 1 } else { 5 };
    let src = check_tab(vm, args, 1, NEED_READ)?;
    let dest = check_tab(vm, args, dest_arg, NEED_WRITE)?;
    if e >= f {
        if !(f > 0 || e < i64::MAX.wrapping_add(f)) {
            return Err(vm.arg_error(3, "too many elements to move"));
        }
        let n = e - f + 1;
        if t > i64::MAX - n + 1 {
            return Err(vm.arg_error(4, "destination wrap around"));
        }
        vm.charge(n as usize)?;
        let forward = t > e || t <= f || (dest_arg != 1 && !vm.equals(src, dest)?);
        if forward {
            for i in 0..n {
                let v = geti(vm, src, f + i)?;
                seti(vm, dest, t + i, v)?;
            }
        } else {
            for i in (0..n).rev() {
                let v = geti(vm, src, f + i)?;
                seti(vm, dest, t + i, v)?;
            }
        }
    }
    vm.push(dest);
    Ok(1)
}

fn pack(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let t = vm.new_table(args.len, 1);
    if args.len <= crate::vm::table::MAX_PREALLOC {
        // the array part has a slot for each argument: nothing grows
        let items = vm.stack.get(args.base..args.base + args.len).unwrap_or(&[]);
        for (i, v) in items.iter().enumerate() {
            let _ = t.try_set_int(i as i64 + 1, *v);
        }
    } else {
        for i in 1..=args.len {
            let grown = t
                .try_set_int(i as i64, vm.arg(args, i))
                .map_err(|_| vm.memory_error())?;
            vm.table_grew_in_native(grown)?;
        }
    }
    let k = vm.new_str(b"n");
    let _ = t.raw_set(k, Value::Int(args.len as i64));
    vm.push(Value::Table(t));
    Ok(1)
}

fn unpack(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let list = vm.arg(args, 1);
    let i = vm.opt_int(args, 2, 1)?;
    let e = if vm.arg(args, 3).is_nil() {
        length_of(vm, list)?
    } else {
        vm.check_int(args, 3)?
    };
    if i > e {
        return Ok(0);
    }
    let n = (e as u64).wrapping_sub(i as u64);
    // the results must fit in the stack (`lua_checkstack`)
    let room = crate::vm::call::MAX_STACK.saturating_sub(vm.stack.len()) as u64;
    if n >= room || n >= i32::MAX as u64 {
        return Err(vm.native_error("too many results to unpack"));
    }
    vm.charge(n as usize)?;
    if let Value::Table(t) = list {
        if t.metatable().is_none() {
            // raw reads (no `__index` can apply), pushed at once
            let count = n as usize + 1;
            vm.stack
                .extend((0..count).map(|k| t.raw_get_int(i.wrapping_add(k as i64))));
            return Ok(count);
        }
    }
    // pushed as read, so they stay rooted while metamethods run
    let mut k = i;
    loop {
        let v = geti(vm, list, k)?;
        vm.push(v);
        if k == e {
            break;
        }
        k += 1;
    }
    Ok(n as usize + 1)
}

/// Appends `v` (a string or number) to `out`, else raises the `concat` error.
fn add_field(vm: &mut Vm, out: &mut Vec<u8>, v: Value, i: i64) -> LuaResult<()> {
    match v {
        // the result's size is the script's choice: grow fallibly
        Value::Str(s) => vm.try_extend(out, s.as_bytes())?,
        Value::Int(n) => {
            let mut buf = [0u8; crate::number::INT_TEXT_MAX];
            vm.try_extend(out, crate::number::int_text(n, &mut buf))?
        }
        Value::Float(f) => vm.try_extend(out, crate::number::fmt_float(f).as_bytes())?,
        _ => {
            return Err(vm.native_error(&format!(
                "invalid value ({}) at index {i} in table for 'concat'",
                v.type_name()
            )))
        }
    }
    Ok(())
}

fn concat(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (t, n) = table_len(vm, args, 1, NEED_READ)?;
    // the separator is an argument: it stays alive during the call
    let sep_str = vm.opt_str(args, 2)?;
    let sep: &[u8] = match &sep_str {
        Some(s) => s.as_bytes(),
        None => b"",
    };
    let mut i = vm.opt_int(args, 3, 1)?;
    let last = vm.opt_int(args, 4, n)?;
    // built in the heap's reusable buffer (a metamethod using it meanwhile
    // gets a fresh one)
    let mut out = vm.heap.take_scratch();
    while i < last {
        vm.charge(1 + (sep.len() + out.len() / 64) / 16)?;
        let v = geti(vm, t, i)?;
        add_field(vm, &mut out, v, i)?;
        vm.try_extend(&mut out, sep)?;
        i += 1;
    }
    if i == last {
        let v = geti(vm, t, i)?;
        add_field(vm, &mut out, v, i)?;
    }
    let s = vm.new_string_scratch(out);
    vm.push(s);
    Ok(1)
}

/// The array being sorted: a Lua value indexed through the VM.
struct LuaArray<'a> {
    vm: &'a mut Vm,
    list: Value,
    comparator: Option<Value>,
}

impl SortAccess for LuaArray<'_> {
    type Elem = Value;
    type Error = LuaError;
    fn get(&mut self, i: i64) -> LuaResult<Value> {
        geti(self.vm, self.list, i)
    }
    fn set(&mut self, i: i64, v: Value) -> LuaResult<()> {
        seti(self.vm, self.list, i, v)
    }
    fn less(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        self.vm.charge(1)?;
        match self.comparator {
            Some(f) => Ok(self.vm.call_function_1(f, &[a, b])?.truthy()),
            None => match (a, b) {
                (Value::Int(x), Value::Int(y)) => Ok(x < y),
                (Value::Float(x), Value::Float(y)) => Ok(x < y),
                _ => self.vm.less_than(a, b),
            },
        }
    }
    fn invalid_order(&mut self) -> LuaError {
        self.vm.native_error("invalid order function for sorting")
    }
    fn random(&mut self) -> u64 {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9);
        t | 1
    }
}

fn sort(vm: &mut Vm, args: Args) -> LuaResult<usize> {
    let (list, n) = table_len(vm, args, 1, NEED_READ | NEED_WRITE)?;
    if n > 1 {
        if n >= i32::MAX as i64 {
            return Err(vm.arg_error(1, "array too big"));
        }
        let comparator = match vm.arg(args, 2) {
            Value::Nil => None,
            f @ (Value::LuaFn(_) | Value::Native(_)) => Some(f),
            _ => return Err(vm.type_arg_error(args, 2, "function")),
        };
        if let (None, Value::Table(t)) = (comparator, list) {
            // integers or strings in the array part: sorted in place,
            // charged as the comparisons of the quicksort
            if t.sort_primitive(n as usize) {
                vm.charge(n as usize * (64 - (n as u64).leading_zeros() as usize))?;
                return Ok(0);
            }
        }
        let mut arr = LuaArray {
            vm,
            list,
            comparator,
        };
        quicksort(&mut arr, 1, n)?;
    }
    Ok(0)
}
