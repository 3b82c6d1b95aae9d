-- KEYS: visitors-by-time
-- ARGV: prefix, created before (ms, exclusive), max
-- Deletes up to `max` visitors of the index created before the cutoff
-- that are still anonymous (no contact, no conversation), with their
-- token; replies {'ok', count}. One that is not leaves the index: linking
-- or a conversation made it so, and only erasure or the last
-- conversation's deletion makes it anonymous again, which put it back.
local p = ARGV[1]
local deleted = sweep_index(KEYS[1], ARGV[2], tonumber(ARGV[3]), function(v)
  local vk = p .. 'visitor:' .. v
  local token = redis.call('HGET', vk, 'token_hash')
  if not token or redis.call('EXISTS', vk .. ':contact') == 1
      or redis.call('LLEN', vk .. ':conversations') > 0 then
    return false
  end
  local tk = p .. 'visitor-token:' .. token
  if redis.call('GET', tk) == v then
    redis.call('DEL', tk)
  end
  redis.call('DEL', vk, vk .. ':open')
  return true
end)
return {'ok', tostring(deleted)}
