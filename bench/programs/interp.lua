-- A small interpreter written in Lua: a stack machine whose instructions are
-- tables with string opcodes, dispatched through an if-chain on strings and a
-- table of handler functions. Runs a loop computing sums of squares and a
-- recursive-style factorial via an explicit call stack.
local R = tonumber(arg and arg[1]) or 10

local function assemble(src)
  local code, labels = {}, {}
  for line in src:gmatch("[^\n]+") do
    local op, a = line:match("^%s*(%a+)%s*(%S*)")
    if op == "label" then labels[a] = #code + 1
    elseif op then code[#code + 1] = {op = op, arg = a} end
  end
  for _, ins in ipairs(code) do
    if ins.op == "jmp" or ins.op == "jz" or ins.op == "call" then ins.arg = labels[ins.arg]
    elseif ins.arg ~= "" and tonumber(ins.arg) then ins.arg = tonumber(ins.arg) end
  end
  return code
end

-- Dispatch 1: an if-chain comparing opcode strings.
local function run_ifchain(code, vars)
  local stack, sp, pc, calls = {}, 0, 1, {}
  while true do
    local ins = code[pc]
    local op = ins.op
    pc = pc + 1
    if op == "push" then sp = sp + 1; stack[sp] = ins.arg
    elseif op == "load" then sp = sp + 1; stack[sp] = vars[ins.arg]
    elseif op == "store" then vars[ins.arg] = stack[sp]; sp = sp - 1
    elseif op == "add" then stack[sp - 1] = stack[sp - 1] + stack[sp]; sp = sp - 1
    elseif op == "sub" then stack[sp - 1] = stack[sp - 1] - stack[sp]; sp = sp - 1
    elseif op == "mul" then stack[sp - 1] = stack[sp - 1] * stack[sp] % 1000003; sp = sp - 1
    elseif op == "lt" then stack[sp - 1] = (stack[sp - 1] < stack[sp]) and 1 or 0; sp = sp - 1
    elseif op == "jz" then if stack[sp] == 0 then pc = ins.arg end; sp = sp - 1
    elseif op == "jmp" then pc = ins.arg
    elseif op == "dup" then sp = sp + 1; stack[sp] = stack[sp - 1]
    elseif op == "call" then calls[#calls + 1] = pc; pc = ins.arg
    elseif op == "ret" then pc = calls[#calls]; calls[#calls] = nil
    elseif op == "halt" then return stack[sp]
    else error("bad op " .. op) end
  end
end

-- Dispatch 2: a table of closures indexed by opcode string.
local function run_table(code, vars)
  local st = {stack = {}, sp = 0, pc = 1, calls = {}}
  local H = {}
  function H.push(s, a) s.sp = s.sp + 1; s.stack[s.sp] = a end
  function H.load(s, a) s.sp = s.sp + 1; s.stack[s.sp] = vars[a] end
  function H.store(s, a) vars[a] = s.stack[s.sp]; s.sp = s.sp - 1 end
  function H.add(s) local k = s.stack; k[s.sp - 1] = k[s.sp - 1] + k[s.sp]; s.sp = s.sp - 1 end
  function H.sub(s) local k = s.stack; k[s.sp - 1] = k[s.sp - 1] - k[s.sp]; s.sp = s.sp - 1 end
  function H.mul(s) local k = s.stack; k[s.sp - 1] = k[s.sp - 1] * k[s.sp] % 1000003; s.sp = s.sp - 1 end
  function H.lt(s) local k = s.stack; k[s.sp - 1] = (k[s.sp - 1] < k[s.sp]) and 1 or 0; s.sp = s.sp - 1 end
  function H.jz(s, a) if s.stack[s.sp] == 0 then s.pc = a end; s.sp = s.sp - 1 end
  function H.jmp(s, a) s.pc = a end
  function H.dup(s) s.sp = s.sp + 1; s.stack[s.sp] = s.stack[s.sp - 1] end
  function H.call(s, a) s.calls[#s.calls + 1] = s.pc; s.pc = a end
  function H.ret(s) s.pc = s.calls[#s.calls]; s.calls[#s.calls] = nil end
  while true do
    local ins = code[st.pc]
    st.pc = st.pc + 1
    if ins.op == "halt" then return st.stack[st.sp] end
    H[ins.op](st, ins.arg)
  end
end

local program = assemble([[
  push 0
  store acc
  push 0
  store i
label loop
  load i
  load n
  lt
  jz done
  load i
  dup
  mul
  load acc
  add
  store acc
  call bump
  jmp loop
label bump
  load i
  push 1
  add
  store i
  ret
label done
  load acc
  halt
]])

local check = 0
for r = 1, R do
  check = check + run_ifchain(program, {n = 20000 + r})
  check = check + run_table(program, {n = 20000 + r})
end
print(check)
