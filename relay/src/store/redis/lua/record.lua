-- KEYS: item:{id}, then site:{s}:external:{external_id} and/or
--       site:{s}:case:{code} when the item has them
-- ARGV: prefix, site, contact id, item id, external key index (0: none),
--       case key index (0: none), at_ms, then item (field, value) pairs
-- The external id is checked first: a resend returns the first item and
-- where it is now, whatever contact it names.
local p = ARGV[1]
local ext, case = tonumber(ARGV[5]), tonumber(ARGV[6])
if ext > 0 then
  local first = redis.call('GET', KEYS[ext])
  if first then
    return with_hash('duplicate', first, p .. 'item:' .. first)
  end
end
local id = survivor(p, ARGV[3])
if not id or redis.call('HGET', contact_key(p, id), 'site') ~= ARGV[2] then
  return {'not_found'}
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'item_exists'}
end
redis.call('HSET', KEYS[1], 'contact', id, 'site', ARGV[2])
for i = 8, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('ZADD', contact_key(p, id, ':timeline'), ARGV[7], ARGV[4])
if ext > 0 then
  redis.call('SET', KEYS[ext], ARGV[4])
end
if case > 0 then
  redis.call('SET', KEYS[case], ARGV[4], 'NX')
end
return with_hash('ok', ARGV[4], KEYS[1])
