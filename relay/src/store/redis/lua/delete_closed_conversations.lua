-- KEYS: closed, visitors-by-time
-- ARGV: prefix, closed before (ms, exclusive), max
-- Deletes up to `max` conversations of the `closed` index closed before
-- the cutoff, as `store::retention` describes; replies {'ok', count}.
-- An entry whose conversation is gone (or, impossibly, open) is dropped
-- uncounted.
local p = ARGV[1]
local deleted = sweep_index(KEYS[1], ARGV[2], tonumber(ARGV[3]), function(id)
  local ck = p .. 'conversation:' .. id
  local c = redis.call('HMGET', ck, 'status', 'visitor')
  if c[1] ~= 'closed' then
    return false
  end
  redis.call('DEL', ck, ck .. ':messages', ck .. ':client-ids')
  if c[2] then
    local vk = p .. 'visitor:' .. c[2]
    redis.call('LREM', vk .. ':conversations', 0, id)
    if redis.call('GET', vk .. ':open') == id then
      redis.call('DEL', vk .. ':open')
    end
    -- Left with no conversation and no contact (an erased one), the
    -- visitor is anonymous again: a candidate for its own retention.
    if redis.call('LLEN', vk .. ':conversations') == 0
        and redis.call('EXISTS', vk .. ':contact') == 0 then
      local created = redis.call('HGET', vk, 'created_at_ms')
      if created then
        redis.call('ZADD', KEYS[2], created, c[2])
      end
    end
  end
  return true
end)
return {'ok', tostring(deleted)}
