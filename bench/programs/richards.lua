-- Richards-style OS task scheduler: method calls on objects with metatables,
-- field reads and writes, linked lists of packets.
local ITER = tonumber(arg and arg[1]) or 250
-- Written so LuaJIT can parse it too (no // or ~ operators in the source).
local bxor = (bit and bit.bxor) or load("return function(a, b) return a ~ b end")()
local floor = math.floor

local ID_IDLE, ID_WORKER, ID_HANDLER_A, ID_HANDLER_B, ID_DEVICE_A, ID_DEVICE_B = 1, 2, 3, 4, 5, 6
local NUMBER_OF_IDS = 6
local KIND_DEVICE, KIND_WORK = 0, 1
local DATA_SIZE = 4
local COUNT = 1000

local STATE_RUNNING, STATE_RUNNABLE, STATE_SUSPENDED, STATE_HELD = 0, 1, 2, 4
local STATE_SUSPENDED_RUNNABLE = 3

local Packet = {}
Packet.__index = Packet
function Packet.new(link, id, kind)
  local data = {}
  for i = 1, DATA_SIZE do data[i] = 0 end
  return setmetatable({link = link, id = id, kind = kind, a1 = 0, a2 = data}, Packet)
end
function Packet:addTo(queue)
  self.link = nil
  if queue == nil then return self end
  local next = queue
  local peek = next.link
  while peek ~= nil do next = peek; peek = next.link end
  next.link = self
  return queue
end

local TaskControlBlock = {}
TaskControlBlock.__index = TaskControlBlock
function TaskControlBlock.new(link, id, priority, queue, task)
  local state = queue == nil and STATE_SUSPENDED or STATE_SUSPENDED_RUNNABLE
  return setmetatable({link = link, id = id, priority = priority, queue = queue,
                       task = task, state = state}, TaskControlBlock)
end
function TaskControlBlock:setRunning() self.state = STATE_RUNNING end
function TaskControlBlock:markAsNotHeld()
  if self.state >= STATE_HELD then self.state = self.state - STATE_HELD end
end
function TaskControlBlock:markAsHeld()
  if self.state < STATE_HELD then self.state = self.state + STATE_HELD end
end
function TaskControlBlock:isHeldOrSuspended()
  local s = self.state
  return s >= STATE_HELD or s == STATE_SUSPENDED
end
function TaskControlBlock:markAsSuspended()
  local s = self.state
  if s % 4 < 2 then self.state = s + 2 end
end
function TaskControlBlock:markAsRunnable()
  local s = self.state
  if s % 2 == 0 then self.state = s + 1 end
end
function TaskControlBlock:run()
  local packet
  if self.state == STATE_SUSPENDED_RUNNABLE then
    packet = self.queue
    self.queue = packet.link
    if self.queue == nil then self.state = STATE_RUNNING else self.state = STATE_RUNNABLE end
  end
  return self.task:run(packet)
end
function TaskControlBlock:checkPriorityAdd(task, packet)
  if self.queue == nil then
    self.queue = packet
    self:markAsRunnable()
    if self.priority > task.priority then return self end
  else
    self.queue = packet:addTo(self.queue)
  end
  return task
end

local Scheduler = {}
Scheduler.__index = Scheduler
function Scheduler.new()
  return setmetatable({queueCount = 0, holdCount = 0, blocks = {}, list = nil,
                       currentTcb = nil, currentId = nil}, Scheduler)
end
function Scheduler:addTask(id, priority, queue, task)
  self.currentTcb = TaskControlBlock.new(self.list, id, priority, queue, task)
  self.list = self.currentTcb
  self.blocks[id] = self.currentTcb
end
function Scheduler:addRunningTask(id, priority, queue, task)
  self:addTask(id, priority, queue, task)
  self.currentTcb:setRunning()
end
function Scheduler:schedule()
  self.currentTcb = self.list
  while self.currentTcb ~= nil do
    if self.currentTcb:isHeldOrSuspended() then
      self.currentTcb = self.currentTcb.link
    else
      self.currentId = self.currentTcb.id
      self.currentTcb = self.currentTcb:run()
    end
  end
end
function Scheduler:release(id)
  local tcb = self.blocks[id]
  if tcb == nil then return tcb end
  tcb:markAsNotHeld()
  if tcb.priority > self.currentTcb.priority then return tcb end
  return self.currentTcb
end
function Scheduler:holdCurrent()
  self.holdCount = self.holdCount + 1
  self.currentTcb:markAsHeld()
  return self.currentTcb.link
end
function Scheduler:suspendCurrent()
  self.currentTcb:markAsSuspended()
  return self.currentTcb
end
function Scheduler:queue(packet)
  local t = self.blocks[packet.id]
  if t == nil then return t end
  self.queueCount = self.queueCount + 1
  packet.link = nil
  packet.id = self.currentId
  return t:checkPriorityAdd(self.currentTcb, packet)
end

local IdleTask = {}
IdleTask.__index = IdleTask
function IdleTask.new(scheduler, v1, count)
  return setmetatable({scheduler = scheduler, v1 = v1, count = count}, IdleTask)
end
function IdleTask:run(packet)
  self.count = self.count - 1
  if self.count == 0 then return self.scheduler:holdCurrent() end
  if self.v1 % 2 == 0 then
    self.v1 = floor(self.v1 / 2)
    return self.scheduler:release(ID_DEVICE_A)
  else
    self.v1 = bxor(floor((self.v1 - 1) / 2), 0xD008)
    return self.scheduler:release(ID_DEVICE_B)
  end
end

local DeviceTask = {}
DeviceTask.__index = DeviceTask
function DeviceTask.new(scheduler)
  return setmetatable({scheduler = scheduler, v1 = nil}, DeviceTask)
end
function DeviceTask:run(packet)
  if packet == nil then
    if self.v1 == nil then return self.scheduler:suspendCurrent() end
    local v = self.v1
    self.v1 = nil
    return self.scheduler:queue(v)
  else
    self.v1 = packet
    return self.scheduler:holdCurrent()
  end
end

local WorkerTask = {}
WorkerTask.__index = WorkerTask
function WorkerTask.new(scheduler, v1, v2)
  return setmetatable({scheduler = scheduler, v1 = v1, v2 = v2}, WorkerTask)
end
function WorkerTask:run(packet)
  if packet == nil then return self.scheduler:suspendCurrent() end
  if self.v1 == ID_HANDLER_A then self.v1 = ID_HANDLER_B else self.v1 = ID_HANDLER_A end
  packet.id = self.v1
  packet.a1 = 0
  for i = 1, DATA_SIZE do
    self.v2 = self.v2 + 1
    if self.v2 > 26 then self.v2 = 1 end
    packet.a2[i] = self.v2
  end
  return self.scheduler:queue(packet)
end

local HandlerTask = {}
HandlerTask.__index = HandlerTask
function HandlerTask.new(scheduler)
  return setmetatable({scheduler = scheduler, v1 = nil, v2 = nil}, HandlerTask)
end
function HandlerTask:run(packet)
  if packet ~= nil then
    if packet.kind == KIND_WORK then self.v1 = packet:addTo(self.v1)
    else self.v2 = packet:addTo(self.v2) end
  end
  if self.v1 ~= nil then
    local count = self.v1.a1
    local v
    if count < DATA_SIZE then
      if self.v2 ~= nil then
        v = self.v2
        self.v2 = self.v2.link
        v.a1 = self.v1.a2[count + 1]
        self.v1.a1 = count + 1
        return self.scheduler:queue(v)
      end
    else
      v = self.v1
      self.v1 = self.v1.link
      return self.scheduler:queue(v)
    end
  end
  return self.scheduler:suspendCurrent()
end

local function runRichards()
  local scheduler = Scheduler.new()
  scheduler:addRunningTask(ID_IDLE, 0, nil, IdleTask.new(scheduler, 1, COUNT))
  local queue = Packet.new(nil, ID_WORKER, KIND_WORK)
  queue = Packet.new(queue, ID_WORKER, KIND_WORK)
  scheduler:addTask(ID_WORKER, 1000, queue, WorkerTask.new(scheduler, ID_HANDLER_A, 0))
  queue = Packet.new(nil, ID_DEVICE_A, KIND_DEVICE)
  queue = Packet.new(queue, ID_DEVICE_A, KIND_DEVICE)
  queue = Packet.new(queue, ID_DEVICE_A, KIND_DEVICE)
  scheduler:addTask(ID_HANDLER_A, 2000, queue, HandlerTask.new(scheduler))
  queue = Packet.new(nil, ID_DEVICE_B, KIND_DEVICE)
  queue = Packet.new(queue, ID_DEVICE_B, KIND_DEVICE)
  queue = Packet.new(queue, ID_DEVICE_B, KIND_DEVICE)
  scheduler:addTask(ID_HANDLER_B, 3000, queue, HandlerTask.new(scheduler))
  scheduler:addTask(ID_DEVICE_A, 4000, nil, DeviceTask.new(scheduler))
  scheduler:addTask(ID_DEVICE_B, 5000, nil, DeviceTask.new(scheduler))
  scheduler:schedule()
  return scheduler.queueCount, scheduler.holdCount
end

local q, h = 0, 0
for _ = 1, ITER do
  local a, b = runRichards()
  q = q + a; h = h + b
end
print(q, h)
