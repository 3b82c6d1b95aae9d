-- KEYS: conversation:{c}, agent:{from}:open, agent:{to}, agent:{to}:open
-- ARGV: conversation_id, from_id, to_id, at_ms
local c = redis.call('HMGET', KEYS[1], 'status', 'agent')
if not c[1] or c[1] == 'closed' or c[2] ~= ARGV[2] then
  return {'not_found'}
end
if redis.call('EXISTS', KEYS[3]) == 0 then
  return {'not_found'}
end
if ARGV[2] == ARGV[3] or not can_take(KEYS[3], KEYS[4]) then
  return {'unavailable'}
end
-- The new agent was chosen by a person, not matched by routing.
local reply = hand_to(KEYS[1], ARGV[1], KEYS[3], KEYS[4], ARGV[3], ARGV[4], nil)
-- Only once handed over: a corrupt route must leave it with `from`.
if reply[1] == 'ok' then
  redis.call('SREM', KEYS[2], ARGV[1])
end
return reply
