//! Unit tests of the compiler over hand-built ASTs.

use super::compile;
