//! Loading: verified `Proto` -> runtime `FnProto` -> main closure.

use super::error::{LuaError, LuaResult};
use super::function::{FnProto, LuaClosure, UpVal};
use super::state::Vm;
use super::value::Value;
use crate::bytecode::{Constant, Proto};
use crate::gc::Gc;
use std::collections::HashMap;
use std::rc::Rc;

impl Vm {
    /// Converts a verified prototype tree into runtime prototypes
    /// (constants become values, strings are allocated). Equal string
    /// constants of one chunk share one string object, as in Lua.
    pub fn runtime_proto(&mut self, proto: &Rc<Proto>) -> Rc<FnProto> {
        let mut strings = HashMap::new();
        self.runtime_proto_shared(proto, &mut strings)
    }

    fn runtime_proto_shared(
        &mut self,
        proto: &Rc<Proto>,
        strings: &mut HashMap<Rc<[u8]>, Value>,
    ) -> Rc<FnProto> {
        let constants = proto
            .constants
            .iter()
            .map(|c| match c {
                Constant::Nil => Value::Nil,
                Constant::Bool(b) => Value::Bool(*b),
                Constant::Int(i) => Value::Int(*i),
                Constant::Float(f) => Value::Float(*f),
                Constant::Str(s) => match strings.get(s) {
                    Some(v) => *v,
                    None => {
                        let v = self.new_str(s);
                        strings.insert(s.clone(), v);
                        v
                    }
                },
            })
            .collect();
        let children = proto
            .protos
            .iter()
            .map(|p| self.runtime_proto_shared(p, strings))
            .collect();
        Rc::new(FnProto {
            max_stack: proto.max_stack,
            is_vararg: proto.is_vararg,
            proto: proto.clone(),
            constants,
            children,
            field_slots: (0..proto.code.len()).map(|_| Default::default()).collect(),
        })
    }

    pub(crate) fn load_proto_impl(
        &mut self,
        proto: Rc<Proto>,
        env: Option<Value>,
    ) -> LuaResult<Value> {
        if let Err(msg) = crate::bytecode::verify::verify(&proto) {
            let v = self.new_str(msg.as_bytes());
            return Err(LuaError::new(v));
        }
        let fp = self.runtime_proto(&proto);
        let env = env.unwrap_or(Value::Table(self.globals));
        let upvals: Vec<Gc<UpVal>> = (0..proto.upvalues.len())
            .map(|i| {
                let v = if i == 0 { env } else { Value::Nil };
                self.heap.alloc(UpVal::closed(v))
            })
            .collect();
        let cl = LuaClosure::alloc(&mut self.heap, fp, &upvals);
        Ok(Value::LuaFn(cl))
    }
}
