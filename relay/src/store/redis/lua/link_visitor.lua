-- KEYS: visitor:{v}, visitor:{v}:contact, visitors-by-time
-- ARGV: prefix, visitor id, contact id, proven (1: by a signed identity)
-- Re-linking moves the visitor out of its old contact's set, so a visitor
-- is on exactly one contact. A visitor of another site is not found.
local id = survivor(ARGV[1], ARGV[3])
if not id then
  return {'not_found'}
end
local site = redis.call('HGET', KEYS[1], 'site')
if not site or site ~= redis.call('HGET', contact_key(ARGV[1], id), 'site') then
  return {'not_found'}
end
local old = redis.call('GET', KEYS[2])
if old then
  redis.call('SREM', contact_key(ARGV[1], old, ':visitors'), ARGV[2])
end
if ARGV[4] == '1' then
  -- Proven for good: only identify proves, and it refuses a second user.
  redis.call('HSET', KEYS[1], 'proven', '1')
end
redis.call('SET', KEYS[2], id)
-- No longer anonymous: out of retention's candidates.
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('SADD', contact_key(ARGV[1], id, ':visitors'), ARGV[2])
return {'ok', id}
