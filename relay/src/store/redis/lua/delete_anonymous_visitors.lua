-- KEYS: visitors-by-time
-- ARGV: prefix, created before (ms, exclusive), max
-- Deletes up to `max` visitors of the index created before the cutoff
-- that are still anonymous (no contact, no conversation), with their
-- token; replies {'ok', count}. One that is not leaves the index: linking
-- or a conversation made it so, and only erasure or the last
-- conversation's deletion makes it anonymous again, which put it back.
-- At most 4 * max entries are looked at per call.
local p, before, max = ARGV[1], ARGV[2], tonumber(ARGV[3])
local deleted, looked = 0, 0
while deleted < max and looked < 4 * max do
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. before,
    'LIMIT', 0, max - deleted)
  if #ids == 0 then
    break
  end
  for _, v in ipairs(ids) do
    looked = looked + 1
    redis.call('ZREM', KEYS[1], v)
    local vk = p .. 'visitor:' .. v
    local token = redis.call('HGET', vk, 'token_hash')
    if token and redis.call('EXISTS', vk .. ':contact') == 0
        and redis.call('LLEN', vk .. ':conversations') == 0 then
      local tk = p .. 'visitor-token:' .. token
      if redis.call('GET', tk) == v then
        redis.call('DEL', tk)
      end
      redis.call('DEL', vk, vk .. ':open')
      deleted = deleted + 1
    end
  end
end
return {'ok', tostring(deleted)}
