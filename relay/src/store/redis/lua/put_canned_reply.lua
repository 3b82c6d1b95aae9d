-- KEYS: site:{s}:canned, site:{s}:canned:shortcuts, site:{s}:canned:held
-- ARGV: reply id, reply JSON, its shortcut field (`scope shortcut`, the
--       shortcut lower-cased by the relay)
-- Refuses a shortcut another reply of the scope holds; a rename or a move
-- to another scope frees the field the reply held before.
local id, field = ARGV[1], ARGV[3]
local holder = redis.call('HGET', KEYS[2], field)
if holder and holder ~= id then
  return {'shortcut_taken'}
end
local held = redis.call('HGET', KEYS[3], id)
if held and held ~= field and redis.call('HGET', KEYS[2], held) == id then
  redis.call('HDEL', KEYS[2], held)
end
redis.call('HSET', KEYS[1], id, ARGV[2])
redis.call('HSET', KEYS[2], field, id)
redis.call('HSET', KEYS[3], id, field)
return {'ok'}
