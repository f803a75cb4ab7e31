//! Coroutines (threads): each has its own value stack and frame list.

use crate::gc::{Gc, GcAny, GcObject};

/// A coroutine. (Fields are defined with the call machine.)
pub struct Thread {
    _private: (),
}

impl GcObject for Thread {
    fn into_any(g: Gc<Self>) -> GcAny {
        GcAny::Thread(g)
    }
}
