-- KEYS: conversation:{c}, queue, closed
-- ARGV: prefix, conversation_id, at_ms
-- The agent's open set and the visitor's open pointer are found from the
-- conversation itself, so they are built from the prefix here.
local c = redis.call('HMGET', KEYS[1], 'status', 'agent', 'visitor')
if not c[1] then
  return {'not_found'}
end
if c[1] == 'closed' then
  return {'closed'}
end
redis.call('HSET', KEYS[1], 'status', 'closed', 'closed_at_ms', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('ZREM', KEYS[2], ARGV[2])
-- Retention finds old closed conversations here (store::retention).
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
if c[2] and c[2] ~= '' then
  redis.call('SREM', ARGV[1] .. 'agent:' .. c[2] .. ':open', ARGV[2])
end
if c[3] then
  local pointer = ARGV[1] .. 'visitor:' .. c[3] .. ':open'
  if redis.call('GET', pointer) == ARGV[2] then
    redis.call('DEL', pointer)
  end
end
return with_hash('ok', ARGV[2], KEYS[1])
