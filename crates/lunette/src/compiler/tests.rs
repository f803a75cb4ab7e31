//! Unit tests of the compiler: opcode shapes, folding, error messages,
//! and robustness over random inputs.

use super::{compile, compile_source};
use crate::bytecode::{Constant, OpCode, Proto};
use crate::syntax::ast::{self, BinOp, Expr, ExprKind, Stat, StatKind, UnOp};
use std::rc::Rc;

fn ops(p: &Proto) -> Vec<OpCode> {
    p.code.iter().filter_map(|i| i.opcode()).collect()
}

fn src(s: &str) -> Rc<Proto> {
    match compile_source(s.as_bytes(), b"=test") {
        Ok(p) => p,
        Err(e) => panic!("compile error: {}", e.message),
    }
}

fn err(s: &str) -> String {
    match compile_source(s.as_bytes(), b"=test") {
        Ok(_) => panic!("expected an error for {s}"),
        Err(e) => e.message,
    }
}

fn e(kind: ExprKind) -> Expr {
    Expr { kind, line: 1 }
}

fn name(s: &str) -> ast::Name {
    Rc::from(s.as_bytes())
}

#[test]
fn hand_built_ast_local_add() {
    use OpCode::*;
    // local a = 1 + x
    let chunk = ast::Chunk {
        body: ast::Block {
            stats: vec![Stat {
                kind: StatKind::Local {
                    names: vec![(name("a"), ast::Attrib::None)],
                    exprs: vec![e(ExprKind::BinOp(
                        BinOp::Add,
                        Box::new(e(ExprKind::Int(1))),
                        Box::new(e(ExprKind::Name(name("x")))),
                    ))],
                },
                line: 1,
            }],
            ret: None,
            ..Default::default()
        },
        end_line: 1,
    };
    let p = compile(&chunk, b"=t").unwrap();
    assert_eq!(ops(&p), vec![VARARGPREP, GETTABUP, ADDI, MMBINI, RETURN]);
    assert!(p.is_vararg);
    assert_eq!(p.upvalues.len(), 1);
    assert_eq!(p.lines.len(), p.code.len());
    assert!(p.max_stack >= 2);
}

#[test]
fn arithmetic_forms() {
    use OpCode::*;
    let p = src("local a, b = ...; local c = a - 3; local d = a * 2.5; local e = a .. b .. a");
    let o = ops(&p);
    assert!(o.contains(&ADDI) && o.contains(&MULK) && o.contains(&CONCAT));
    let p = src("local a = ...; local b = a >> 2; local c = 1 << a; local d = a & 7");
    let o = ops(&p);
    assert!(o.contains(&SHRI) && o.contains(&SHLI) && o.contains(&BANDK));
    // every arithmetic op is followed by an MMBIN*
    for w in p.code.windows(2) {
        if w[0]
            .opcode()
            .is_some_and(|op| op.flags() & crate::bytecode::opcode::F_MM_NEXT != 0)
        {
            assert!(matches!(
                w[1].opcode(),
                Some(MMBIN) | Some(MMBINI) | Some(MMBINK)
            ));
        }
    }
}

#[test]
fn constant_folding() {
    let p = src("local x = 2 * 3 + 1; local y = 1 // 0; local z = -0.0; local w = 7 // 2.0");
    assert!(p.constants.contains(&Constant::Float(3.0)) || ops(&p).contains(&OpCode::LOADF));
    let o = ops(&p);
    assert!(o.contains(&OpCode::IDIV) || o.contains(&OpCode::IDIVK));
    assert!(o.contains(&OpCode::UNM));
    let p = src("return 2^53");
    assert!(p.constants.contains(&Constant::Float(9007199254740992.0)));
    let p = src("return 1 & 1.5");
    assert!(ops(&p).contains(&OpCode::BANDK) || ops(&p).contains(&OpCode::BAND));
}

#[test]
fn comparisons_are_followed_by_jumps() {
    let p = src(
        "local a, b = ...; if a < b then a = 1 end; if a == 'x' then b = 2 end; if 1 < a then end",
    );
    for (i, ins) in p.code.iter().enumerate() {
        if ins
            .opcode()
            .is_some_and(|op| op.flags() & crate::bytecode::opcode::F_TEST != 0)
        {
            assert_eq!(p.code[i + 1].opcode(), Some(OpCode::JMP));
        }
    }
    let o = ops(&p);
    assert!(o.contains(&OpCode::LT) && o.contains(&OpCode::EQK) && o.contains(&OpCode::GTI));
}

#[test]
fn calls_returns_tailcalls() {
    use OpCode::*;
    let p = src("return f(x)");
    assert!(ops(&p).contains(&TAILCALL));
    let p = src("return (f(x))");
    assert!(!ops(&p).contains(&TAILCALL));
    let p = src("local t = ...; t:m(1)");
    assert!(ops(&p).contains(&SELF));
    let p = src("f(g())");
    let calls: Vec<_> = p.code.iter().filter(|i| i.opcode() == Some(CALL)).collect();
    assert_eq!(calls[0].c(), 0); // g() keeps all results
    assert_eq!(calls[1].b(), 0); // f takes them up to the top
}

#[test]
fn table_constructor_flushes() {
    let items: Vec<String> = (1..=120).map(|i| i.to_string()).collect();
    let p = src(&format!("local t = {{{}, ...}}", items.join(",")));
    let setlists = p
        .code
        .iter()
        .filter(|i| i.opcode() == Some(OpCode::SETLIST))
        .count();
    assert_eq!(setlists, 3);
    assert_eq!(p.code[2].opcode(), Some(OpCode::EXTRAARG));
}

#[test]
fn loops_and_closures() {
    use OpCode::*;
    let p = src("for i = 1, 3 do local f = function() return i end end");
    let o = ops(&p);
    assert!(o.contains(&FORPREP) && o.contains(&FORLOOP) && o.contains(&CLOSE));
    let p = src("for k, v in pairs(t) do end");
    let o = ops(&p);
    assert!(o.contains(&TFORPREP) && o.contains(&TFORCALL) && o.contains(&TFORLOOP));
    let f = &p.protos;
    assert!(f.is_empty());
    let p = src("local a; local function g() a = 1 end");
    assert!(p.protos[0].upvalues[0].in_stack);
    assert_eq!(ops(&p.protos[0]), vec![LOADI, SETUPVAL, RETURN0]);
    let p = src("do local x <close> = f() end");
    assert!(ops(&p).contains(&TBC));
}

#[test]
fn compile_time_constants() {
    let p = src("local x <const> = 10; return x + 1");
    assert!(ops(&p).contains(&OpCode::LOADI));
    assert!(p.locvars.is_empty());
    let p = src("local s <const> = 'str'; return s");
    assert!(p.constants.contains(&Constant::Str(Rc::from(&b"str"[..]))));
}

#[test]
fn error_messages() {
    assert_eq!(
        err("local x <const> = 1; x = 2"),
        "test:1: attempt to assign to const variable 'x'"
    );
    assert_eq!(
        err("local x <const> = 1; function f() x = 2 end"),
        "test:1: attempt to assign to const variable 'x'"
    );
    assert_eq!(
        err("goto nowhere"),
        "test:1: no visible label 'nowhere' for <goto> at line 1"
    );
    assert_eq!(err("break"), "test:1: break outside loop at line 1");
    assert_eq!(
        err("::a:: do ::a:: end"),
        "test:1: label 'a' already defined on line 1"
    );
    assert_eq!(
        err("goto f; local x; ::f:: print(x)"),
        "test:1: <goto f> at line 1 jumps into the scope of local 'x'"
    );
    let many: Vec<String> = (0..201).map(|i| format!("local v{i}")).collect();
    assert_eq!(
        err(&many.join("\n")),
        // (the parser reports it first, exactly as lua5.4 does)
        "test:201: too many local variables (limit is 200) in main function near <eof>"
    );
    let many: Vec<String> = (0..300).map(|i| format!("x{i}")).collect();
    // (lua5.4 names the token it was reading; more cases, checked against
    // lua5.4, in tests/lua/register_limit_errors.lua)
    assert_eq!(
        err(&format!("f({})", many.join(","))),
        "test:1: function or expression needs too many registers near 'x254'"
    );
}

#[test]
fn label_errors_name_the_next_token_line() {
    assert_eq!(
        err("::a::\ndo ::a:: end"),
        "test:2: label 'a' already defined on line 1"
    );
    assert_eq!(
        err("goto f\nlocal x\n::f::\nprint(x)"),
        "test:4: <goto f> at line 1 jumps into the scope of local 'x'"
    );
    assert_eq!(
        err("for i=1,2 do\n if i then break end\nend\nbreak"),
        "test:4: break outside loop at line 4"
    );
}

#[test]
fn gotos_compile() {
    src("for i = 1, 3 do goto cont; local z = 1; ::cont:: end");
    src("do goto e; local q = 1; ::e:: end");
    src("::top:: do local c = 1; local h = function() return c end; if c then goto top end end");
    src("while true do local x; local f = function() return x end; if x then break end end");
}

/// A tiny deterministic pseudo-random generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_expr(r: &mut Rng, depth: u32) -> Expr {
    let names = ["a", "b", "c", "_ENV", "x"];
    let kind = if depth == 0 {
        match r.below(7) {
            0 => ExprKind::Nil,
            1 => ExprKind::True,
            2 => ExprKind::Int(r.below(600) as i64 - 300),
            3 => ExprKind::Float((r.below(100) as f64) / 4.0),
            4 => ExprKind::Str(name("s")),
            5 => ExprKind::Vararg,
            _ => ExprKind::Name(name(names[r.below(5) as usize])),
        }
    } else {
        let d = depth - 1;
        match r.below(9) {
            0 => {
                let ops = [
                    BinOp::Add,
                    BinOp::Sub,
                    BinOp::Mul,
                    BinOp::Div,
                    BinOp::IDiv,
                    BinOp::Mod,
                    BinOp::Pow,
                    BinOp::Concat,
                    BinOp::Eq,
                    BinOp::Ne,
                    BinOp::Lt,
                    BinOp::Le,
                    BinOp::Gt,
                    BinOp::Ge,
                    BinOp::And,
                    BinOp::Or,
                    BinOp::BAnd,
                    BinOp::BOr,
                    BinOp::BXor,
                    BinOp::Shl,
                    BinOp::Shr,
                ];
                ExprKind::BinOp(
                    ops[r.below(ops.len() as u64) as usize],
                    Box::new(random_expr(r, d)),
                    Box::new(random_expr(r, d)),
                )
            }
            1 => {
                let ops = [UnOp::Neg, UnOp::Not, UnOp::Len, UnOp::BNot];
                ExprKind::UnOp(ops[r.below(4) as usize], Box::new(random_expr(r, d)))
            }
            2 => ExprKind::Index(Box::new(random_expr(r, d)), Box::new(random_expr(r, d))),
            3 => ExprKind::Call(
                Box::new(random_expr(r, d)),
                (0..r.below(3)).map(|_| random_expr(r, d)).collect(),
                Default::default(),
            ),
            4 => ExprKind::MethodCall(
                Box::new(random_expr(r, d)),
                name("m"),
                (0..r.below(3)).map(|_| random_expr(r, d)).collect(),
                Default::default(),
            ),
            5 => ExprKind::Paren(Box::new(random_expr(r, d))),
            6 => ExprKind::Table(
                (0..r.below(4))
                    .map(|_| {
                        if r.below(2) == 0 {
                            ast::TableField::Pos(random_expr(r, d))
                        } else {
                            ast::TableField::Named(random_expr(r, d), random_expr(r, d))
                        }
                    })
                    .collect(),
                1,
            ),
            7 => ExprKind::Function(Rc::new(ast::FuncBody {
                params: vec![name("a")],
                is_vararg: r.below(2) == 0,
                body: random_block(r, d),
                line: 1,
                end_line: 1,
            })),
            _ => ExprKind::Name(name(names[r.below(5) as usize])),
        }
    };
    Expr { kind, line: 1 }
}

fn random_block(r: &mut Rng, depth: u32) -> ast::Block {
    let n = r.below(4);
    let mut stats = Vec::new();
    for _ in 0..n {
        let d = depth.saturating_sub(1);
        let kind = match r.below(12) {
            0 => StatKind::Assign {
                targets: vec![random_expr(r, d), random_expr(r, 0)],
                exprs: vec![random_expr(r, d)],
            },
            1 => StatKind::Call(random_expr(r, d)),
            2 => StatKind::Local {
                names: vec![
                    (name("a"), ast::Attrib::None),
                    (
                        name("b"),
                        if r.below(3) == 0 {
                            ast::Attrib::Const
                        } else {
                            ast::Attrib::None
                        },
                    ),
                ],
                exprs: (0..r.below(3)).map(|_| random_expr(r, d)).collect(),
            },
            3 => StatKind::While {
                cond: random_expr(r, d),
                body: random_block(r, d),
                cond_end: 1,
                end_line: 1,
            },
            4 => StatKind::Repeat {
                body: random_block(r, d),
                cond: random_expr(r, d),
                cond_end: 1,
            },
            5 => StatKind::If {
                conds: vec![(random_expr(r, d), random_block(r, d))],
                else_block: Some(random_block(r, d)),
            },
            6 => StatKind::NumFor {
                var: name("i"),
                start: random_expr(r, d),
                limit: random_expr(r, d),
                step: None,
                body: random_block(r, d),
                end_line: 1,
            },
            7 => StatKind::GenFor {
                names: vec![name("k"), name("v")],
                exprs: vec![random_expr(r, d)],
                body: random_block(r, d),
                end_line: 1,
            },
            8 => StatKind::Break,
            9 => StatKind::Goto(name("l")),
            10 => StatKind::Label(name("l")),
            _ => StatKind::Do(random_block(r, d)),
        };
        stats.push(Stat { kind, line: 1 });
    }
    let ret = if r.below(3) == 0 {
        Some(ast::Return {
            exprs: (0..r.below(3))
                .map(|_| random_expr(r, depth.saturating_sub(1)))
                .collect(),
            line: 1,
        })
    } else {
        None
    };
    ast::Block {
        stats,
        ret,
        ..Default::default()
    }
}

#[test]
fn random_asts_never_panic() {
    let mut r = Rng(0x1234_5678_9abc_def1);
    let rounds: u32 = std::env::var("LUNETTE_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let depth: u32 = std::env::var("LUNETTE_FUZZ_DEPTH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    for _ in 0..rounds {
        let chunk = ast::Chunk {
            body: random_block(&mut r, depth),
            end_line: 1,
        };
        if let Ok(p) = compile(&chunk, b"=r") {
            assert_eq!(p.lines.len(), p.code.len());
            if let Err(e) = crate::bytecode::verify::verify(&p) {
                panic!("{e}\n{}", crate::bytecode::disasm::listing(&p));
            }
            let _ = crate::bytecode::disasm::listing_full(&p);
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let mut x = e(ExprKind::Int(1));
    for _ in 0..5000 {
        x = e(ExprKind::Paren(Box::new(x)));
    }
    let chunk = ast::Chunk {
        body: ast::Block {
            stats: vec![],
            ret: Some(ast::Return {
                exprs: vec![x],
                line: 1,
            }),
            ..Default::default()
        },
        end_line: 1,
    };
    assert!(compile(&chunk, b"=d").is_err());
    std::mem::forget(chunk);
    // long left-nested operator chains are compiled iteratively
    let mut y = e(ExprKind::Name(name("a")));
    for _ in 0..20000 {
        y = e(ExprKind::BinOp(
            BinOp::Add,
            Box::new(y),
            Box::new(e(ExprKind::Int(1))),
        ));
    }
    let chunk = ast::Chunk {
        body: ast::Block {
            stats: vec![],
            ret: Some(ast::Return {
                exprs: vec![y],
                line: 1,
            }),
            ..Default::default()
        },
        end_line: 1,
    };
    assert!(compile(&chunk, b"=d").is_ok());
    std::mem::forget(chunk); // dropping a 20000-deep box chain would recurse
}

#[test]
fn disassembler_lists_like_luac() {
    let p = src("local a = 1 + x");
    let l = crate::bytecode::disasm::listing(&p);
    assert!(l.contains("main <test:0,0> (5 instructions at"), "{l}");
    assert!(l.contains("GETTABUP \t0 0 0\t; _ENV \"x\""), "{l}");
    assert!(l.contains("MMBINI   \t0 1 6 1\t; __add flip"), "{l}");
    let f = crate::bytecode::disasm::listing_full(&p);
    assert!(f.contains("upvalues (1) for"));
}

/// Compiles every file of the official test suite (when present) and
/// runs the verifier over the result.
#[test]
fn official_suite_compiles_and_verifies() {
    let dir = std::path::Path::new("/tmp/lua-5.4.4-tests");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut count = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("lua") {
            continue;
        }
        let Ok(mut text) = std::fs::read(&path) else {
            continue;
        };
        if text.first() == Some(&b'#') {
            let nl = text.iter().position(|&c| c == b'\n').unwrap_or(text.len());
            text.drain(..nl);
        }
        let name = format!("@{}", path.display());
        match compile_source(&text, name.as_bytes()) {
            Ok(p) => {
                count += 1;
                if let Err(e) = crate::bytecode::verify::verify(&p) {
                    panic!("{}: {e}", path.display());
                }
            }
            Err(e) => panic!("{}", e.message),
        }
    }
    assert!(count > 20, "only {count} files compiled");
}

/// Random mutations of valid source: compiling never panics, and every
/// accepted chunk passes the verifier.
#[test]
fn random_source_never_panics() {
    let seeds = [
        "local a, b = ... if a then print(1) elseif b then print(2) else print(3) end",
        "for i = 10, 1, -1 do local f = function() return i end if i == 5 then break end end",
        "local t = {1, 2, x = 3, [4] = 5, f(), ...} t.x, t[1] = t[1], t.x return t:m(1)",
        "local x <const> = 10 local y <close> = nil goto l do local z = 1 end ::l:: return x",
        "repeat local q = a; local f = function() return q end until q < 0 while a do a = a - 1 end",
        "local s = 'a' .. b .. 'c' .. (d or e and f) local n = -1 // 2 % 3 ^ 4 & 5 | 6 ~ 7 << 8 >> 9",
        "function g.h.i:j(a, ...) return self, a, select('#', ...) end return g(not x == y)",
    ];
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..4000 {
        let base = seeds[r.below(seeds.len() as u64) as usize].as_bytes();
        let mut text = base.to_vec();
        for _ in 0..1 + r.below(3) {
            if text.is_empty() {
                break;
            }
            let i = r.below(text.len() as u64) as usize;
            let j = (i + 1 + r.below(8) as usize).min(text.len());
            match r.below(3) {
                0 => {
                    text.drain(i..j);
                }
                1 => {
                    let piece: Vec<u8> = text[i..j].to_vec();
                    let at = r.below(text.len() as u64) as usize;
                    text.splice(at..at, piece);
                }
                _ => {
                    let other = seeds[r.below(seeds.len() as u64) as usize].as_bytes();
                    let k = r.below(other.len() as u64) as usize;
                    let piece = &other[k..(k + 6).min(other.len())];
                    text.splice(i..i, piece.iter().copied());
                }
            }
        }
        if let Ok(p) = compile_source(&text, b"=fuzz") {
            if let Err(e) = crate::bytecode::verify::verify(&p) {
                panic!("{e}: {}", String::from_utf8_lossy(&text));
            }
        }
    }
}

#[test]
fn end_of_chunk_errors_use_the_eof_line() {
    assert_eq!(
        err("goto l1\n"),
        "test:2: no visible label 'l1' for <goto> at line 1"
    );
    assert_eq!(
        err("::a:: ::a::\n"),
        "test:2: label 'a' already defined on line 1"
    );
    assert_eq!(err("break\r\n\n\r"), "test:3: break outside loop at line 1");
}
