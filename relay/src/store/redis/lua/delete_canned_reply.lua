-- KEYS: site:{s}:canned, site:{s}:canned:shortcuts, site:{s}:canned:held
-- ARGV: reply id
-- Deletes the reply and frees its shortcut. Replies {'ok', '1'}, or
-- {'ok', '0'} when there was no reply.
local id = ARGV[1]
local held = redis.call('HGET', KEYS[3], id)
if held and redis.call('HGET', KEYS[2], held) == id then
  redis.call('HDEL', KEYS[2], held)
end
redis.call('HDEL', KEYS[3], id)
if redis.call('HDEL', KEYS[1], id) == 0 then
  return {'ok', '0'}
end
return {'ok', '1'}
