-- KEYS: visitor:{v}:open, visitor:{v}:conversations, conversation:{new},
--       queue, queue-seq, site:{s}:case-seq, visitors-by-time
-- ARGV: prefix, new_id, site, visitor_id, at_ms, route (JSON, queued_at_ms set)
-- One script, so a visitor with two tabs (or two nodes) gets one open
-- conversation, never two.
local open = redis.call('GET', KEYS[1])
if open then
  local key = ARGV[1] .. 'conversation:' .. open
  local status = redis.call('HGET', key, 'status')
  if status and status ~= 'closed' then
    return with_hash('existing', open, key)
  end
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  return {'conversation_exists'}
end
redis.call('HSET', KEYS[3],
  'site', ARGV[3], 'visitor', ARGV[4], 'status', 'waiting',
  'last_seq', '0', 'created_at_ms', ARGV[5], 'version', '1', 'visitor_seen_ms', ARGV[5],
  'route', ARGV[6],
  -- The same counter ingested cases draw from: codes never repeat per site.
  'case_number', redis.call('INCR', KEYS[6]))
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('SET', KEYS[1], ARGV[2])
-- A visitor with a conversation is no candidate for retention.
redis.call('ZREM', KEYS[7], ARGV[4])
-- A counter, not the clock, orders the queue: arrival order stays strict
-- even when two nodes' clocks disagree or two arrive in the same ms.
redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[5]), ARGV[2])
return with_hash('created', ARGV[2], KEYS[3])
