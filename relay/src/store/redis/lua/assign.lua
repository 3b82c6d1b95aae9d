-- KEYS: conversation:{c}, queue, agent:{a}, agent:{a}:open
-- ARGV: conversation_id, agent_id, at_ms, matched ('' when taken by hand)
-- Check and write in one script: a conversation is never assigned twice
-- and an agent never goes over max_concurrent, however many nodes route.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return {'not_found'}
end
if status ~= 'waiting' then
  return {'not_waiting'}
end
if redis.call('EXISTS', KEYS[3]) == 0 then
  return {'not_found'}
end
if not can_take(KEYS[3], KEYS[4]) then
  return {'unavailable'}
end
local matched = ARGV[4]
if matched == '' then
  matched = nil
end
local reply = hand_to(KEYS[1], ARGV[1], KEYS[3], KEYS[4], ARGV[2], ARGV[3], matched)
-- Only once handed over: a corrupt route must leave it in the queue.
if reply[1] == 'ok' then
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return reply
