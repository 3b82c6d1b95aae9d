-- KEYS: contact:{id}, contact:{id}:identities, contact:{id}:attrs,
--       site:{s}:contacts, site:{s}:names, then
--       site:{s}:identity:{kind}:{value} per identity
-- ARGV: id, site, name ('' for none), created_at_ms, name words
--       (space-separated), n_identities, then (kind:value, verified) per
--       identity, then (attr, value) pairs
-- Every identity is checked and claimed in one script, so two nodes
-- creating contacts with the same email cannot both succeed.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'contact_exists'}
end
local n = tonumber(ARGV[6])
for i = 1, n do
  if redis.call('EXISTS', KEYS[5 + i]) == 1 then
    return {'identity_taken'}
  end
end
redis.call('HSET', KEYS[1], 'site', ARGV[2], 'created_at_ms', ARGV[4])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'name', ARGV[3])
  index_name(KEYS[5], KEYS[1], ARGV[1], ARGV[5])
end
for i = 1, n do
  redis.call('SET', KEYS[5 + i], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[5 + 2 * i], ARGV[6 + 2 * i])
end
for i = 7 + 2 * n, #ARGV, 2 do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
end
redis.call('SADD', KEYS[4], ARGV[1])
return {'ok'}
