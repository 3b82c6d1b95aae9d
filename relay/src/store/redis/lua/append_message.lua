-- KEYS: conversation:{c}, conversation:{c}:messages, conversation:{c}:client-ids,
--       then, when the message counts in reports, site:{s}:report-rows and
--       one site:{s}:report-row:{bucket}:{row} per add
-- ARGV: client_msg_id, json_head, json_tail, replied_at_ms ('' unless an
--       agent wrote), the bus channel to publish a new message on ('' for
--       none), the agent the conversation must be assigned to ('' for a
--       visitor's message), then per add its index member, score, slot,
--       increment
-- Reply: {'ok', message, '1' when no agent had written before, else '0'},
--        {'duplicate', message} or a refusal word.
-- A new message grows its report rows here, so it counts exactly once
-- (a resend is a duplicate and adds nothing) in the same round trip.
-- The stored message is json_head .. seq .. json_tail: Rust serialises
-- everything but the seq, so no JSON is parsed or re-encoded in Lua
-- (cjson would round large integers such as timestamps).
-- Publishing here, once the message is stored, spares the bus its own
-- round trip: the event is the bus's JSON of `Event::Message`.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'not_found'}
end
local earlier = redis.call('HGET', KEYS[3], ARGV[1])
if earlier then
  local stored = redis.call('LINDEX', KEYS[2], tonumber(earlier) - 1)
  if not stored then
    return {'corrupt'}
  end
  return {'duplicate', stored}
end
local c = redis.call('HMGET', KEYS[1], 'status', 'last_seq', 'agent', 'agent_replied_at_ms')
-- An agent writes only while it holds the conversation, checked here so
-- that a transfer cannot land between the check and the append.
if ARGV[6] ~= '' and c[3] ~= ARGV[6] then
  return {'not_assigned'}
end
if c[1] == 'closed' then
  return {'closed'}
end
if ARGV[6] ~= '' and c[1] ~= 'assigned' then
  return {'not_assigned'}
end
local last = tonumber(c[2]) or 0
-- Element i of the list has seq i + 1; refuse to break that invariant.
if redis.call('LLEN', KEYS[2]) ~= last then
  return {'corrupt'}
end
local seq = last + 1
local message = ARGV[2] .. string.format('%d', seq) .. ARGV[3]
redis.call('RPUSH', KEYS[2], message)
redis.call('HSET', KEYS[3], ARGV[1], seq)
redis.call('HSET', KEYS[1], 'last_seq', seq)
-- Stops the answer deadline: requeue leaves an answered conversation be.
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'agent_replied_at_ms', ARGV[4])
end
redis.call('HINCRBY', KEYS[1], 'version', 1)
if #KEYS > 3 then
  grow_report_rows(KEYS[4], 5, 7)
end
if ARGV[5] ~= '' then
  redis.call('PUBLISH', ARGV[5], '{"kind":"message","message":' .. message .. '}')
end
local first_reply = (ARGV[4] ~= '' and not c[4]) and '1' or '0'
return {'ok', message, first_reply}
