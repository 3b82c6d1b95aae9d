-- KEYS: merge-proposal:{id}
-- ARGV: prefix, id, from, into, kind, value, verified (1/0), created_at_ms
-- Stores the proposal between the two survivors unless that pair is
-- already proposed (either way round) or is already one contact.
local p = ARGV[1]
local from, into = survivor(p, ARGV[3]), survivor(p, ARGV[4])
if not from or not into then
  return {'not_found'}
end
if redis.call('HGET', contact_key(p, from), 'site') ~= redis.call('HGET', contact_key(p, into), 'site') then
  return {'not_found'}
end
if from == into or redis.call('EXISTS', pair_key(p, from, into)) == 1 then
  return {'ok'}
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'proposal_exists'}
end
redis.call('HSET', KEYS[1], 'from', from, 'into', into, 'kind', ARGV[5],
  'value', ARGV[6], 'verified', ARGV[7], 'created_at_ms', ARGV[8])
redis.call('SET', pair_key(p, from, into), ARGV[2])
redis.call('SADD', contact_key(p, from, ':proposals'), ARGV[2])
redis.call('SADD', contact_key(p, into, ':proposals'), ARGV[2])
return {'ok'}
