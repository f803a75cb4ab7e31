//! Snapshot tests: listings identical to `luac5.4 -l` (addresses masked).

use super::compile_source;

/// Replaces every `0x<hex>` with `ADDR`.
fn mask_addresses(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'0' && b.get(i + 1) == Some(&b'x') {
            let mut j = i + 2;
            while j < b.len() && b[j].is_ascii_hexdigit() {
                j += 1;
            }
            out.push_str("ADDR");
            i = j;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

fn check(name: &str, src: &str, expected: &str) {
    let p = match compile_source(src.as_bytes(), format!("@{name}").as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("{}", e.message),
    };
    let got = mask_addresses(&crate::bytecode::disasm::listing(&p));
    if got != expected {
        panic!("listing differs from luac's:\n--- expected\n{expected}\n--- got\n{got}");
    }
}

#[test]
fn luac_snapshot_s1() {
    check(
        "s1.lua",
        r####"local a, b = ...
local t = {1, 2, x = a, [b] = 3, a .. b, ...}
for i = 1, #t, 2 do t[i] = t[i] * 2 - 1 end
for k, v in pairs(t) do if v == nil or k > 3 then break end end
while a < 10 and not b do a = a + 1 end
repeat local c = a; a = a - 1 until c <= 0
local f = function(x, ...) return x and x.y or select('#', ...) end
return f(a, b), t:m(1.5) // 3, a >> 2, 1 << a, a ~= 'z', -a
"####,
        r####"
main <s1.lua:0,0> (68 instructions at ADDR)
0+ params, 10 slots, 1 upvalue, 15 locals, 8 constants, 1 function
	1	[1]	VARARGPREP	0
	2	[1]	VARARG   	0 3	; 2 out
	3	[2]	NEWTABLE 	2 2 3	; 3
	4	[2]	EXTRAARG 	0
	5	[2]	LOADI    	3 1
	6	[2]	LOADI    	4 2
	7	[2]	SETFIELD 	2 0 0	; "x"
	8	[2]	SETTABLE 	2 1 1k	; 3
	9	[2]	MOVE     	5 0
	10	[2]	MOVE     	6 1
	11	[2]	CONCAT   	5 2
	12	[2]	VARARG   	6 0	; all out
	13	[2]	SETLIST  	2 0 0
	14	[3]	LOADI    	3 1
	15	[3]	LEN      	4 2
	16	[3]	LOADI    	5 2
	17	[3]	FORPREP  	3 6	; exit to 25
	18	[3]	GETTABLE 	7 2 6
	19	[3]	MULK     	7 7 2	; 2
	20	[3]	MMBINK   	7 2 8 0	; __mul 2
	21	[3]	ADDI     	7 7 -1
	22	[3]	MMBINI   	7 1 7 0	; __sub
	23	[3]	SETTABLE 	2 6 7
	24	[3]	FORLOOP  	3 7	; to 18
	25	[4]	GETTABUP 	3 0 3	; _ENV "pairs"
	26	[4]	MOVE     	4 2
	27	[4]	CALL     	3 2 5	; 1 in 4 out
	28	[4]	TFORPREP 	3 4	; to 33
	29	[4]	EQK      	8 4 1	; nil
	30	[4]	JMP      	4	; to 35
	31	[4]	GTI      	7 3 1
	32	[4]	JMP      	2	; to 35
	33	[4]	TFORCALL 	3 2
	34	[4]	TFORLOOP 	3 6	; to 29
	35	[4]	CLOSE    	3
	36	[5]	LTI      	0 10 0
	37	[5]	JMP      	5	; to 43
	38	[5]	TEST     	1 1
	39	[5]	JMP      	3	; to 43
	40	[5]	ADDI     	0 0 1
	41	[5]	MMBINI   	0 1 6 0	; __add
	42	[5]	JMP      	-7	; to 36
	43	[6]	MOVE     	3 0
	44	[6]	ADDI     	0 0 -1
	45	[6]	MMBINI   	0 1 7 0	; __sub
	46	[6]	LEI      	3 0 0
	47	[6]	JMP      	-5	; to 43
	48	[7]	CLOSURE  	3 0	; ADDR
	49	[8]	MOVE     	4 3
	50	[8]	MOVE     	5 0
	51	[8]	MOVE     	6 1
	52	[8]	CALL     	4 3 2	; 2 in 1 out
	53	[8]	SELF     	5 2 5k	; "m"
	54	[8]	LOADK    	7 6	; 1.5
	55	[8]	CALL     	5 3 2	; 2 in 1 out
	56	[8]	IDIVK    	5 5 1	; 3
	57	[8]	MMBINK   	5 1 12 0	; __idiv 3
	58	[8]	SHRI     	6 0 2
	59	[8]	MMBINI   	0 2 17 0	; __shr
	60	[8]	SHLI     	7 0 1
	61	[8]	MMBINI   	0 1 16 1	; __shl flip
	62	[8]	EQK      	0 7 0	; "z"
	63	[8]	JMP      	1	; to 65
	64	[8]	LFALSESKIP	8
	65	[8]	LOADTRUE 	8
	66	[8]	UNM      	9 0
	67	[8]	RETURN   	4 7 1k	; 6 out
	68	[8]	RETURN   	4 1 1k	; 0 out

function <s1.lua:7,7> (12 instructions at ADDR)
1+ param, 4 slots, 1 upvalue, 1 local, 3 constants, 0 functions
	1	[7]	VARARGPREP	1
	2	[7]	TEST     	0 0
	3	[7]	JMP      	3	; to 7
	4	[7]	GETFIELD 	1 0 0	; "y"
	5	[7]	TEST     	1 1
	6	[7]	JMP      	4	; to 11
	7	[7]	GETTABUP 	1 0 1	; _ENV "select"
	8	[7]	LOADK    	2 2	; "#"
	9	[7]	VARARG   	3 0	; all out
	10	[7]	CALL     	1 0 2	; all in 1 out
	11	[7]	RETURN   	1 2 2	; 1 out
	12	[7]	RETURN   	1 1 2	; 0 out
"####,
    );
}

#[test]
fn luac_snapshot_s2() {
    check(
        "s2.lua",
        r####"local x <const> = 7
local up = 0
local function counter()
  up = up + x
  return function() local l = up; return l % 3 == 0 end
end
g.h.k, up = counter(), 1
do local r <close> = nil end
if up >= 2.0 then goto done elseif up < -1 then up = 2 ^ 0.5 else up = 'a' .. up end
::done::
"####,
        r####"
main <s2.lua:0,0> (25 instructions at ADDR)
0+ params, 4 slots, 1 upvalue, 3 locals, 5 constants, 1 function
	1	[1]	VARARGPREP	0
	2	[2]	LOADI    	0 0
	3	[6]	CLOSURE  	1 0	; ADDR
	4	[7]	GETTABUP 	2 0 0	; _ENV "g"
	5	[7]	GETFIELD 	2 2 1	; "h"
	6	[7]	MOVE     	3 1
	7	[7]	CALL     	3 1 2	; 0 in 1 out
	8	[7]	LOADI    	0 1
	9	[7]	SETFIELD 	2 2 3	; "k"
	10	[8]	LOADNIL  	2 0	; 1 out
	11	[8]	TBC      	2
	12	[8]	CLOSE    	2
	13	[9]	GEI      	0 2 0
	14	[9]	JMP      	2	; to 17
	15	[9]	JMP      	9	; to 25
	16	[9]	JMP      	8	; to 25
	17	[9]	LTI      	0 -1 0
	18	[9]	JMP      	2	; to 21
	19	[9]	LOADK    	0 3	; 1.4142135623731
	20	[9]	JMP      	4	; to 25
	21	[9]	LOADK    	2 4	; "a"
	22	[9]	MOVE     	3 0
	23	[9]	CONCAT   	2 2
	24	[9]	MOVE     	0 2
	25	[10]	RETURN   	2 1 1k	; 0 out

function <s2.lua:3,6> (7 instructions at ADDR)
0 params, 2 slots, 1 upvalue, 0 locals, 0 constants, 1 function
	1	[4]	GETUPVAL 	0 0	; up
	2	[4]	ADDI     	0 0 7
	3	[4]	MMBINI   	0 7 6 0	; __add
	4	[4]	SETUPVAL 	0 0	; up
	5	[5]	CLOSURE  	0 0	; ADDR
	6	[5]	RETURN1  	0
	7	[6]	RETURN0  	

function <s2.lua:5,5> (9 instructions at ADDR)
0 params, 2 slots, 1 upvalue, 1 local, 1 constant, 0 functions
	1	[5]	GETUPVAL 	0 0	; up
	2	[5]	MODK     	1 0 0	; 3
	3	[5]	MMBINK   	0 0 9 0	; __mod 3
	4	[5]	EQI      	1 0 1
	5	[5]	JMP      	1	; to 7
	6	[5]	LFALSESKIP	1
	7	[5]	LOADTRUE 	1
	8	[5]	RETURN1  	1
	9	[5]	RETURN0  	
"####,
    );
}
