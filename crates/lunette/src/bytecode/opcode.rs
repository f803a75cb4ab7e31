//! The instruction set: one table, one line of semantics per opcode.
//!
//! Every instruction is 32 bits. Notation: `R[x]` register `x` of the current
//! frame, `K[x]` constant `x`, `UpValue[x]`, `RK(x)` is `K[x]` when the `k`
//! bit is set and `R[x]` otherwise, `sB`/`sC` are signed immediates, `pc` is
//! the index of the *next* instruction when an instruction executes.
//!
//! ```text
//!  31      24 23      16 15 14      7 6      0
//! +----------+----------+--+---------+--------+
//! |    C     |    B     |k |    A    |   op   |  iABC
//! |          Bx            |    A    |   op   |  iABx   (Bx unsigned)
//! |          sBx           |    A    |   op   |  iAsBx  (sBx = Bx - OFFSET_SBX)
//! |               Ax                 |   op   |  iAx
//! |               sJ                 |   op   |  isJ    (sJ = Ax - OFFSET_SJ)
//! +-----------------------------------------------------+
//! ```
//!
//! The table below (`opcodes!`) is the single source: the `OpCode` enum, the
//! names, the operand formats and the flags the verifier and disassembler
//! read are all generated from it. What the verifier proves for each format
//! is written in `verify.rs` (the verifier contract).
//!
//! Notes on irregular cases:
//! - `CALL`: `B == 0` means arguments run up to the stack top (set by a
//!   preceding open call or `VARARG`); `C == 0` means keep all results and
//!   set the top. `B-1` is the argument count, `C-1` the result count.
//! - `RETURN`: `B == 0` means return up to the top. `k` set means the
//!   function has to-be-closed variables or open upvalues to close (`CLOSE`
//!   semantics first); `C > 0` means the function is vararg and `C-1` is its
//!   fixed parameter count (used to restore the frame base).
//! - `SETLIST`: `B == 0` means up to the top. `C` is the array index base
//!   (`C*1`); when `k` is set the real base is `C + Ax * (MAX_C + 1)` with `Ax`
//!   taken from the following `EXTRAARG`.
//! - `NEWTABLE`: `B` encodes the hash size (`0` or `2^(B-1)`), `C` the array
//!   size; if `k` is set the array size is `C + Ax * (MAX_C + 1)` with the
//!   following `EXTRAARG`. `NEWTABLE` is always followed by `EXTRAARG`.
//! - Arithmetic and bitwise ops (`ADD`..`SHR`, `ADDK`..`SHLI`) skip the next
//!   instruction when the fast path succeeds; the next instruction is always
//!   an `MMBIN`/`MMBINI`/`MMBINK` that calls the metamethod otherwise.
//! - Compare-and-jump ops (`EQ`..`GEI`, `TEST`, `TESTSET`) are always followed
//!   by a `JMP`: when the condition holds the `JMP` runs, else it is skipped.
//! - `LOADKX` and `NEWTABLE`/`SETLIST` with `k` take an `EXTRAARG` as the next
//!   instruction.
//! - `FORPREP` jumps to its `FORLOOP`'s successor when the loop runs zero
//!   times; `FORLOOP` jumps back to the body start. Same shape for
//!   `TFORPREP` -> `TFORCALL` + `TFORLOOP`.
//! - `isJ` jumps and `sBx` jumps are relative to the next instruction.

/// Declares the whole instruction table once; everything else is derived.
macro_rules! opcodes {
    ($( $(#[doc = $doc:literal])* $name:ident = $fmt:ident, $flags:expr; )*) => {
        /// An operation code (the low 7 bits of an instruction).
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        #[repr(u8)]
        #[allow(clippy::upper_case_acronyms)]
        pub enum OpCode {
            $( $(#[doc = $doc])* $name, )*
        }

        impl OpCode {
            /// Every opcode in numeric order.
            pub const ALL: &'static [OpCode] = &[$(OpCode::$name),*];

            /// The opcode's name as the disassembler prints it.
            pub fn name(self) -> &'static str {
                match self { $(OpCode::$name => stringify!($name),)* }
            }

            /// The instruction format of this opcode.
            pub fn format(self) -> Format {
                match self { $(OpCode::$name => Format::$fmt,)* }
            }

            /// Extra facts about the opcode (see the `F_*` flags).
            pub fn flags(self) -> u8 {
                match self { $(OpCode::$name => $flags,)* }
            }
        }
    };
}

/// Operand formats.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    /// A, B, C, k.
    ABC,
    /// A, unsigned Bx.
    ABx,
    /// A, signed sBx.
    AsBx,
    /// Ax.
    Ax,
    /// signed sJ.
    SJ,
}

/// No extra facts.
pub const F_NONE: u8 = 0;
/// The instruction sets register A.
pub const F_SETS_A: u8 = 1;
/// The instruction is a test: the next one must be a `JMP`.
pub const F_TEST: u8 = 2;
/// The instruction is followed by `MMBIN*` (fast path skips it).
pub const F_MM_NEXT: u8 = 4;
/// The instruction uses the stack top set by the previous one (B == 0 forms).
pub const F_USES_TOP: u8 = 8;
/// The instruction sets the stack top for the next one (C == 0 / open results).
pub const F_SETS_TOP: u8 = 16;

opcodes! {
    /// `R[A] := R[B]`
    MOVE = ABC, F_SETS_A;
    /// `R[A] := sBx` (integer)
    LOADI = AsBx, F_SETS_A;
    /// `R[A] := (float)sBx`
    LOADF = AsBx, F_SETS_A;
    /// `R[A] := K[Bx]`
    LOADK = ABx, F_SETS_A;
    /// `R[A] := K[extra arg]` (next instruction is `EXTRAARG`)
    LOADKX = ABx, F_SETS_A;
    /// `R[A] := false`
    LOADFALSE = ABC, F_SETS_A;
    /// `R[A] := false; pc++`
    LFALSESKIP = ABC, F_SETS_A;
    /// `R[A] := true`
    LOADTRUE = ABC, F_SETS_A;
    /// `R[A], R[A+1], ..., R[A+B] := nil`
    LOADNIL = ABC, F_SETS_A;
    /// `R[A] := UpValue[B]`
    GETUPVAL = ABC, F_SETS_A;
    /// `UpValue[B] := R[A]`
    SETUPVAL = ABC, F_NONE;
    /// `R[A] := UpValue[B][K[C]:string]`
    GETTABUP = ABC, F_SETS_A;
    /// `R[A] := R[B][R[C]]`
    GETTABLE = ABC, F_SETS_A;
    /// `R[A] := R[B][C]` (C an unsigned integer key)
    GETI = ABC, F_SETS_A;
    /// `R[A] := R[B][K[C]:string]`
    GETFIELD = ABC, F_SETS_A;
    /// `UpValue[A][K[B]:string] := RK(C)`
    SETTABUP = ABC, F_NONE;
    /// `R[A][R[B]] := RK(C)`
    SETTABLE = ABC, F_NONE;
    /// `R[A][B] := RK(C)` (B an unsigned integer key)
    SETI = ABC, F_NONE;
    /// `R[A][K[B]:string] := RK(C)`
    SETFIELD = ABC, F_NONE;
    /// `R[A] := {}` (sizes in B and C; see notes; followed by `EXTRAARG`)
    NEWTABLE = ABC, F_SETS_A;
    /// `R[A+1] := R[B]; R[A] := R[B][RK(C):string]`
    SELF = ABC, F_SETS_A;
    /// `R[A] := R[B] + sC`
    ADDI = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] + K[C]:number`
    ADDK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] - K[C]:number`
    SUBK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] * K[C]:number`
    MULK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] % K[C]:number`
    MODK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] ^ K[C]:number`
    POWK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] / K[C]:number`
    DIVK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] // K[C]:number`
    IDIVK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] & K[C]:integer`
    BANDK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] | K[C]:integer`
    BORK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] ~ K[C]:integer`
    BXORK = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] >> sC`
    SHRI = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := sC << R[B]`
    SHLI = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] + R[C]`
    ADD = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] - R[C]`
    SUB = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] * R[C]`
    MUL = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] % R[C]`
    MOD = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] ^ R[C]`
    POW = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] / R[C]`
    DIV = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] // R[C]`
    IDIV = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] & R[C]`
    BAND = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] | R[C]`
    BOR = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] ~ R[C]`
    BXOR = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] << R[C]`
    SHL = ABC, F_SETS_A | F_MM_NEXT;
    /// `R[A] := R[B] >> R[C]`
    SHR = ABC, F_SETS_A | F_MM_NEXT;
    /// call metamethod C (a `TagMethod`) over `R[A]` and `R[B]`; result to the previous instruction's A
    MMBIN = ABC, F_NONE;
    /// call metamethod C over `R[A]` and `sB`; k set means the operands are swapped
    MMBINI = ABC, F_NONE;
    /// call metamethod C over `R[A]` and `K[B]`; k set means the operands are swapped
    MMBINK = ABC, F_NONE;
    /// `R[A] := -R[B]`
    UNM = ABC, F_SETS_A;
    /// `R[A] := ~R[B]`
    BNOT = ABC, F_SETS_A;
    /// `R[A] := not R[B]`
    NOT = ABC, F_SETS_A;
    /// `R[A] := #R[B]` (length operator)
    LEN = ABC, F_SETS_A;
    /// `R[A] := R[A].. ... ..R[A + B - 1]`
    CONCAT = ABC, F_SETS_A;
    /// close all upvalues and to-be-closed variables `>= R[A]`
    CLOSE = ABC, F_NONE;
    /// mark variable `R[A]` "to be closed"
    TBC = ABC, F_NONE;
    /// `pc += sJ`
    JMP = SJ, F_NONE;
    /// `if ((R[A] == R[B]) ~= k) then pc++`
    EQ = ABC, F_TEST;
    /// `if ((R[A] <  R[B]) ~= k) then pc++`
    LT = ABC, F_TEST;
    /// `if ((R[A] <= R[B]) ~= k) then pc++`
    LE = ABC, F_TEST;
    /// `if ((R[A] == K[B]) ~= k) then pc++`
    EQK = ABC, F_TEST;
    /// `if ((R[A] == sB) ~= k) then pc++` (C set means sB is a float)
    EQI = ABC, F_TEST;
    /// `if ((R[A] < sB) ~= k) then pc++` (C set means sB is a float)
    LTI = ABC, F_TEST;
    /// `if ((R[A] <= sB) ~= k) then pc++` (C set means sB is a float)
    LEI = ABC, F_TEST;
    /// `if ((R[A] > sB) ~= k) then pc++` (C set means sB is a float)
    GTI = ABC, F_TEST;
    /// `if ((R[A] >= sB) ~= k) then pc++` (C set means sB is a float)
    GEI = ABC, F_TEST;
    /// `if (not R[A] == k) then pc++`
    TEST = ABC, F_TEST;
    /// `if (not R[B] == k) then pc++ else R[A] := R[B]`
    TESTSET = ABC, F_TEST;
    /// `R[A], ... ,R[A+C-2] := R[A](R[A+1], ... ,R[A+B-1])`
    CALL = ABC, F_USES_TOP | F_SETS_TOP;
    /// `return R[A](R[A+1], ... ,R[A+B-1])`
    TAILCALL = ABC, F_USES_TOP;
    /// `return R[A], ... ,R[A+B-2]`
    RETURN = ABC, F_USES_TOP;
    /// `return`
    RETURN0 = ABC, F_NONE;
    /// `return R[A]`
    RETURN1 = ABC, F_NONE;
    /// update counters; if loop continues then `pc -= Bx`
    FORLOOP = ABx, F_NONE;
    /// check values and prepare counters; if not to run then `pc += Bx + 1`
    FORPREP = ABx, F_NONE;
    /// create upvalue for `R[A + 3]`; `pc += Bx`
    TFORPREP = ABx, F_NONE;
    /// `R[A+4], ... ,R[A+3+C] := R[A](R[A+1], R[A+2])`
    TFORCALL = ABC, F_NONE;
    /// `if R[A+4] ~= nil then { R[A+2] := R[A+4]; pc -= Bx }`
    TFORLOOP = ABx, F_NONE;
    /// `R[A][C+i] := R[A+i], 1 <= i <= B`
    SETLIST = ABC, F_USES_TOP;
    /// `R[A] := closure(KPROTO[Bx])`
    CLOSURE = ABx, F_SETS_A;
    /// `R[A], R[A+1], ..., R[A+C-2] = vararg` (C == 0: all, sets top)
    VARARG = ABC, F_SETS_TOP;
    /// adjust vararg parameters (A is the number of fixed parameters)
    VARARGPREP = ABC, F_NONE;
    /// extra (larger) argument for the previous opcode
    EXTRAARG = Ax, F_NONE;
}

/// Number of opcodes.
pub const NUM_OPCODES: usize = OpCode::ALL.len();

impl OpCode {
    /// Decodes the low 7 bits; `None` for an unused code.
    #[inline]
    pub fn from_u8(b: u8) -> Option<OpCode> {
        OpCode::ALL.get(b as usize).copied()
    }
}

/// Width of the opcode field.
pub const SIZE_OP: u32 = 7;
/// Width of A.
pub const SIZE_A: u32 = 8;
/// Width of B.
pub const SIZE_B: u32 = 8;
/// Width of C.
pub const SIZE_C: u32 = 8;
/// Width of Bx.
pub const SIZE_BX: u32 = SIZE_C + SIZE_B + 1;
/// Width of Ax.
pub const SIZE_AX: u32 = SIZE_BX + SIZE_A;
/// Width of sJ.
pub const SIZE_SJ: u32 = SIZE_BX + SIZE_A;

/// Bit position of A.
pub const POS_A: u32 = SIZE_OP;
/// Bit position of k.
pub const POS_K: u32 = POS_A + SIZE_A;
/// Bit position of B.
pub const POS_B: u32 = POS_K + 1;
/// Bit position of C.
pub const POS_C: u32 = POS_B + SIZE_B;
/// Bit position of Bx.
pub const POS_BX: u32 = POS_K;
/// Bit position of Ax and sJ.
pub const POS_AX: u32 = POS_A;

/// Largest A.
pub const MAX_A: u32 = (1 << SIZE_A) - 1;
/// Largest B.
pub const MAX_B: u32 = (1 << SIZE_B) - 1;
/// Largest C.
pub const MAX_C: u32 = (1 << SIZE_C) - 1;
/// Largest Bx.
pub const MAX_BX: u32 = (1 << SIZE_BX) - 1;
/// Largest Ax.
pub const MAX_AX: u32 = (1 << SIZE_AX) - 1;
/// Largest raw sJ field.
pub const MAX_SJ: u32 = (1 << SIZE_SJ) - 1;
/// sBx = Bx - OFFSET_SBX.
pub const OFFSET_SBX: i32 = (MAX_BX >> 1) as i32;
/// sJ = field - OFFSET_SJ.
pub const OFFSET_SJ: i32 = (MAX_SJ >> 1) as i32;
/// sB / sC = field - OFFSET_SC.
pub const OFFSET_SC: i32 = (MAX_C >> 1) as i32;
/// Largest register count of a function (registers are `0..MAX_REGS`).
pub const MAX_REGS: u32 = 255;
/// Number of list items to accumulate before a `SETLIST`.
pub const FIELDS_PER_FLUSH: u32 = 50;

/// One encoded instruction.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Instruction(pub u32);

impl Instruction {
    /// The raw opcode bits (may be an invalid opcode in unverified code).
    #[inline(always)]
    pub fn op_bits(self) -> u8 {
        (self.0 & ((1 << SIZE_OP) - 1)) as u8
    }
    /// The opcode; `None` for an unused code (the verifier rejects those).
    #[inline(always)]
    pub fn opcode(self) -> Option<OpCode> {
        OpCode::from_u8(self.op_bits())
    }
    /// Field A.
    #[inline(always)]
    pub fn a(self) -> u32 {
        (self.0 >> POS_A) & MAX_A
    }
    /// Field B.
    #[inline(always)]
    pub fn b(self) -> u32 {
        (self.0 >> POS_B) & MAX_B
    }
    /// Field C.
    #[inline(always)]
    pub fn c(self) -> u32 {
        (self.0 >> POS_C) & MAX_C
    }
    /// Field B read as a signed immediate.
    #[inline(always)]
    pub fn sb(self) -> i32 {
        self.b() as i32 - OFFSET_SC
    }
    /// Field C read as a signed immediate.
    #[inline(always)]
    pub fn sc(self) -> i32 {
        self.c() as i32 - OFFSET_SC
    }
    /// The k bit.
    #[inline(always)]
    pub fn k(self) -> bool {
        (self.0 >> POS_K) & 1 != 0
    }
    /// Field Bx.
    #[inline(always)]
    pub fn bx(self) -> u32 {
        (self.0 >> POS_BX) & MAX_BX
    }
    /// Field sBx.
    #[inline(always)]
    pub fn sbx(self) -> i32 {
        self.bx() as i32 - OFFSET_SBX
    }
    /// Field Ax.
    #[inline(always)]
    pub fn ax(self) -> u32 {
        (self.0 >> POS_AX) & MAX_AX
    }
    /// Field sJ.
    #[inline(always)]
    pub fn sj(self) -> i32 {
        ((self.0 >> POS_AX) & MAX_SJ) as i32 - OFFSET_SJ
    }

    /// Encodes an iABC instruction.
    pub fn abc(op: OpCode, a: u32, b: u32, c: u32, k: bool) -> Instruction {
        debug_assert!(a <= MAX_A && b <= MAX_B && c <= MAX_C);
        Instruction(
            (op as u32) | (a << POS_A) | ((k as u32) << POS_K) | (b << POS_B) | (c << POS_C),
        )
    }
    /// Encodes an iABx instruction.
    pub fn abx(op: OpCode, a: u32, bx: u32) -> Instruction {
        debug_assert!(a <= MAX_A && bx <= MAX_BX);
        Instruction((op as u32) | (a << POS_A) | (bx << POS_BX))
    }
    /// Encodes an iAsBx instruction.
    pub fn asbx(op: OpCode, a: u32, sbx: i32) -> Instruction {
        Instruction::abx(op, a, (sbx + OFFSET_SBX) as u32)
    }
    /// Encodes an iAx instruction.
    pub fn ax_op(op: OpCode, ax: u32) -> Instruction {
        debug_assert!(ax <= MAX_AX);
        Instruction((op as u32) | (ax << POS_AX))
    }
    /// Encodes an isJ instruction.
    pub fn sj_op(op: OpCode, sj: i32) -> Instruction {
        Instruction((op as u32) | (((sj + OFFSET_SJ) as u32) << POS_AX))
    }

    /// Returns a copy with field A replaced.
    pub fn with_a(self, a: u32) -> Instruction {
        Instruction((self.0 & !(MAX_A << POS_A)) | (a << POS_A))
    }
    /// Returns a copy with field B replaced.
    pub fn with_b(self, b: u32) -> Instruction {
        Instruction((self.0 & !(MAX_B << POS_B)) | (b << POS_B))
    }
    /// Returns a copy with field C replaced.
    pub fn with_c(self, c: u32) -> Instruction {
        Instruction((self.0 & !(MAX_C << POS_C)) | (c << POS_C))
    }
    /// Returns a copy with the k bit replaced.
    pub fn with_k(self, k: bool) -> Instruction {
        Instruction((self.0 & !(1 << POS_K)) | ((k as u32) << POS_K))
    }
    /// Returns a copy with field Bx replaced.
    pub fn with_bx(self, bx: u32) -> Instruction {
        Instruction((self.0 & !(MAX_BX << POS_BX)) | (bx << POS_BX))
    }
    /// Returns a copy with field sJ replaced.
    pub fn with_sj(self, sj: i32) -> Instruction {
        Instruction((self.0 & !(MAX_SJ << POS_AX)) | (((sj + OFFSET_SJ) as u32) << POS_AX))
    }
}

impl std::fmt::Debug for Instruction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.opcode() {
            None => write!(f, "<bad opcode {}>", self.op_bits()),
            Some(op) => match op.format() {
                Format::ABC => write!(
                    f,
                    "{} {} {} {}{}",
                    op.name(),
                    self.a(),
                    self.b(),
                    self.c(),
                    if self.k() { "k" } else { "" }
                ),
                Format::ABx => write!(f, "{} {} {}", op.name(), self.a(), self.bx()),
                Format::AsBx => write!(f, "{} {} {}", op.name(), self.a(), self.sbx()),
                Format::Ax => write!(f, "{} {}", op.name(), self.ax()),
                Format::SJ => write!(f, "{} {}", op.name(), self.sj()),
            },
        }
    }
}

/// Metamethod events, in the order `MMBIN*` operand C names them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum TagMethod {
    /// `__index`
    Index,
    /// `__newindex`
    NewIndex,
    /// `__gc`
    Gc,
    /// `__mode`
    Mode,
    /// `__len`
    Len,
    /// `__eq`
    Eq,
    /// `__add`
    Add,
    /// `__sub`
    Sub,
    /// `__mul`
    Mul,
    /// `__mod`
    Mod,
    /// `__pow`
    Pow,
    /// `__div`
    Div,
    /// `__idiv`
    IDiv,
    /// `__band`
    BAnd,
    /// `__bor`
    BOr,
    /// `__bxor`
    BXor,
    /// `__shl`
    Shl,
    /// `__shr`
    Shr,
    /// `__unm`
    Unm,
    /// `__bnot`
    BNot,
    /// `__lt`
    Lt,
    /// `__le`
    Le,
    /// `__concat`
    Concat,
    /// `__call`
    Call,
    /// `__close`
    Close,
}

impl TagMethod {
    /// All events in numeric order.
    pub const ALL: [TagMethod; 25] = [
        TagMethod::Index,
        TagMethod::NewIndex,
        TagMethod::Gc,
        TagMethod::Mode,
        TagMethod::Len,
        TagMethod::Eq,
        TagMethod::Add,
        TagMethod::Sub,
        TagMethod::Mul,
        TagMethod::Mod,
        TagMethod::Pow,
        TagMethod::Div,
        TagMethod::IDiv,
        TagMethod::BAnd,
        TagMethod::BOr,
        TagMethod::BXor,
        TagMethod::Shl,
        TagMethod::Shr,
        TagMethod::Unm,
        TagMethod::BNot,
        TagMethod::Lt,
        TagMethod::Le,
        TagMethod::Concat,
        TagMethod::Call,
        TagMethod::Close,
    ];

    /// Decodes an event number (`MMBIN` operand C).
    pub fn from_u32(n: u32) -> Option<TagMethod> {
        TagMethod::ALL.get(n as usize).copied()
    }

    /// The metatable key, e.g. `"__add"`.
    pub const fn name(self) -> &'static str {
        match self {
            TagMethod::Index => "__index",
            TagMethod::NewIndex => "__newindex",
            TagMethod::Gc => "__gc",
            TagMethod::Mode => "__mode",
            TagMethod::Len => "__len",
            TagMethod::Eq => "__eq",
            TagMethod::Add => "__add",
            TagMethod::Sub => "__sub",
            TagMethod::Mul => "__mul",
            TagMethod::Mod => "__mod",
            TagMethod::Pow => "__pow",
            TagMethod::Div => "__div",
            TagMethod::IDiv => "__idiv",
            TagMethod::BAnd => "__band",
            TagMethod::BOr => "__bor",
            TagMethod::BXor => "__bxor",
            TagMethod::Shl => "__shl",
            TagMethod::Shr => "__shr",
            TagMethod::Unm => "__unm",
            TagMethod::BNot => "__bnot",
            TagMethod::Lt => "__lt",
            TagMethod::Le => "__le",
            TagMethod::Concat => "__concat",
            TagMethod::Call => "__call",
            TagMethod::Close => "__close",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instruction_is_four_bytes() {
        assert_eq!(std::mem::size_of::<Instruction>(), 4);
    }

    #[test]
    fn fields_round_trip() {
        let i = Instruction::abc(OpCode::ADD, 200, 17, 255, true);
        assert_eq!(i.opcode(), Some(OpCode::ADD));
        assert_eq!((i.a(), i.b(), i.c(), i.k()), (200, 17, 255, true));
        let j = Instruction::asbx(OpCode::LOADI, 3, -5);
        assert_eq!(j.sbx(), -5);
        let s = Instruction::sj_op(OpCode::JMP, -1000);
        assert_eq!(s.sj(), -1000);
        assert!(OpCode::ALL.len() < 128);
    }
}
