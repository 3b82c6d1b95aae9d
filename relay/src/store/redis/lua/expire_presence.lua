-- KEYS: agents
-- ARGV: prefix, now_ms
-- Agents whose every lease ran out (their nodes died without letting go)
-- go offline, so routing stops giving them conversations nobody sees.
-- Agents that never had a lease (no socket ever held one) are left alone.
-- Reply: {'ok', agent ids set offline ...}
local out = {'ok'}
for _, id in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local key = ARGV[1] .. 'agent:' .. id
  local leases = key .. ':leases'
  if redis.call('EXISTS', leases) == 1 then
    redis.call('ZREMRANGEBYSCORE', leases, '-inf', ARGV[2])
    if redis.call('ZCARD', leases) == 0 then
      local presence = redis.call('HGET', key, 'presence')
      if presence and presence ~= 'offline' then
        redis.call('HSET', key, 'presence', 'offline')
        out[#out + 1] = id
      end
    end
  end
end
return out
