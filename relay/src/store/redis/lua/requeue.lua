-- KEYS: conversation:{c}, agent:{from}:open, queue
-- ARGV: conversation_id, from_id, unanswered_since ('' for unconditional), at_ms
-- One script, so a reply landing first, or another node that already
-- requeued it (and routing that gave it to someone new), wins the race:
-- assigned_at_ms then differs, or agent_replied_at_ms caught up.
local c = redis.call('HMGET', KEYS[1], 'status', 'agent', 'assigned_at_ms',
  'agent_replied_at_ms')
if c[1] ~= 'assigned' or c[2] ~= ARGV[2] then
  return {'not_found'}
end
if ARGV[3] ~= '' then
  -- Compared as strings: both were written from the same decimal u64.
  if c[3] ~= ARGV[3] then
    return {'answered'}
  end
  if c[4] and tonumber(c[4]) >= tonumber(ARGV[3]) then
    return {'answered'}
  end
end
local route = read_route(KEYS[1])
if not route then
  return {'corrupt_route'}
end
route.returned = (tonumber(route.returned) or 0) + 1
-- Routing passes this agent over while someone else can take it.
route.returned_from = ARGV[2]
route.queued_at_ms = tonumber(ARGV[4])
route.matched = nil
redis.call('HSET', KEYS[1], 'status', 'waiting', 'route', encode_route(route))
redis.call('HDEL', KEYS[1], 'agent', 'agent_name', 'assigned_at_ms')
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('SREM', KEYS[2], ARGV[1])
-- The front of the queue: below the lowest score. Arrivals draw rising
-- scores from queue-seq, so it stays ahead of everything queued later.
local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
local score = 0
if first[2] then
  score = tonumber(first[2]) - 1
end
redis.call('ZADD', KEYS[3], score, ARGV[1])
return with_hash('ok', ARGV[1], KEYS[1])
