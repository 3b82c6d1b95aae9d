-- KEYS: agent:{id}
-- ARGV: presence, at_ms
-- A script only so that an unknown agent is rejected instead of HSET
-- creating a stub agent hash.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'not_found'}
end
if ARGV[1] == 'online' then
  redis.call('HSET', KEYS[1], 'presence', ARGV[1], 'last_activity_ms', ARGV[2])
else
  redis.call('HSET', KEYS[1], 'presence', ARGV[1])
end
return {'ok'}
