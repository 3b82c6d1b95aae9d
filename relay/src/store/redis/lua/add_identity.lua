-- KEYS: site:{s}:identity:{kind}:{value}
-- ARGV: prefix, contact id, kind:value, verified (1/0)
-- Claims the identity for the surviving contact unless another holds it;
-- a verified copy is never marked unverified again.
local id = survivor(ARGV[1], ARGV[2])
if not id then
  return {'not_found'}
end
local holder = redis.call('GET', KEYS[1])
if holder and survivor(ARGV[1], holder) ~= id then
  return {'identity_taken'}
end
redis.call('SET', KEYS[1], id)
local identities = contact_key(ARGV[1], id, ':identities')
if ARGV[4] == '1' or redis.call('HEXISTS', identities, ARGV[3]) == 0 then
  redis.call('HSET', identities, ARGV[3], ARGV[4])
end
return {'ok', id}
