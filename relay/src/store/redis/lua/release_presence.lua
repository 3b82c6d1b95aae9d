-- KEYS: agent:{id}, agent:{id}:leases
-- ARGV: node, now_ms
-- One node let go of the agent. The agent goes offline only when no other
-- node holds a live lease: an agent with a tab on node A and another on
-- node B stays online when A's tab closes.
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[2]) > 0 then
  return {'held'}
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'presence', 'offline')
end
return {'offline'}
