-- KEYS: agents, queue
-- ARGV: prefix
-- Read-only. One script so agents' loads and the queue are read at one
-- instant; assign re-checks anyway.
-- Reply: {{id, presence, max_concurrent, load, last_activity_ms, languages,
-- skills, ...}, {id, site, route, created_at_ms, ...}}, the queue in order.
local agents = {}
for _, id in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local key = ARGV[1] .. 'agent:' .. id
  local a = redis.call('HMGET', key, 'presence', 'max_concurrent', 'last_activity_ms',
    'languages', 'skills')
  agents[#agents + 1] = id
  agents[#agents + 1] = a[1] or 'offline'
  agents[#agents + 1] = a[2] or '0'
  agents[#agents + 1] = tostring(redis.call('SCARD', key .. ':open'))
  agents[#agents + 1] = a[3] or '0'
  agents[#agents + 1] = a[4] or ''
  agents[#agents + 1] = a[5] or ''
end
local waiting = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local c = redis.call('HMGET', ARGV[1] .. 'conversation:' .. id,
    'status', 'site', 'route', 'created_at_ms')
  -- Queue and hash are written together, so this only skips what another
  -- system left behind; routing must not stall on it.
  if c[1] == 'waiting' and c[2] then
    waiting[#waiting + 1] = id
    waiting[#waiting + 1] = c[2]
    waiting[#waiting + 1] = c[3] or ''
    waiting[#waiting + 1] = c[4] or '0'
  end
end
return {agents, waiting}
