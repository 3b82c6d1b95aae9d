-- KEYS: agent:{a}
-- ARGV: field, value[, field, value ...]
-- A script only so that an unknown agent is refused instead of HSET
-- creating half an agent.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'not_found'}
end
redis.call('HSET', KEYS[1], unpack(ARGV))
return {'ok'}
