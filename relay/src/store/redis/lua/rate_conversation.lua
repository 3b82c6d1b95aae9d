-- KEYS: conversation:{c}
-- ARGV: conversation_id, csat (JSON of shared::csat::Csat)
-- Only a closed conversation without a rating takes one.
local c = redis.call('HMGET', KEYS[1], 'status', 'csat')
if not c[1] then
  return {'not_found'}
end
if c[1] ~= 'closed' then
  return {'not_closed'}
end
if c[2] and c[2] ~= '' then
  return {'already_rated'}
end
redis.call('HSET', KEYS[1], 'csat', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return with_hash('ok', ARGV[1], KEYS[1])
