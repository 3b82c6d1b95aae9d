-- KEYS: conversation:{c}, queue, queue-seq, closed
-- ARGV: prefix, conversation_id, at_ms
-- Undoes close_conversation.lua in one script, so a reopen racing the
-- visitor's new conversation (or another reopen) never leaves the visitor
-- with two open. The visitor's open pointer is found from the
-- conversation itself, so it is built from the prefix here.
local c = redis.call('HMGET', KEYS[1], 'status', 'visitor')
if c[1] ~= 'closed' then
  return {'not_found'}
end
local pointer = nil
if c[2] then
  pointer = ARGV[1] .. 'visitor:' .. c[2] .. ':open'
  local open = redis.call('GET', pointer)
  -- Judged as open_conversation.lua judges it: a pointer left at a
  -- conversation that is closed or gone holds nothing open.
  if open and open ~= ARGV[2] then
    local status = redis.call('HGET', ARGV[1] .. 'conversation:' .. open, 'status')
    if status and status ~= 'closed' then
      return {'visitor_busy'}
    end
  end
end
local route = read_route(KEYS[1])
if not route then
  return {'corrupt_route'}
end
-- Waiting anew: how it was last matched or whom it left says nothing
-- about who should take it now. `returned` stays, as a count.
route.queued_at_ms = tonumber(ARGV[3])
route.matched = nil
route.returned_from = nil
redis.call('HSET', KEYS[1], 'status', 'waiting', 'route', encode_route(route))
redis.call('HDEL', KEYS[1], 'closed_at_ms', 'agent', 'agent_name', 'assigned_at_ms')
redis.call('HINCRBY', KEYS[1], 'version', 1)
-- Open again: retention must not delete it.
redis.call('ZREM', KEYS[4], ARGV[2])
-- The back of the queue, scored like a new arrival (see
-- open_conversation.lua), behind everyone already waiting.
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[2])
if pointer then
  redis.call('SET', pointer, ARGV[2])
end
return with_hash('ok', ARGV[2], KEYS[1])
