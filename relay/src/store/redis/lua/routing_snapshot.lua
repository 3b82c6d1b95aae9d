-- KEYS: agents, queue
-- ARGV: prefix
-- Read-only. One script so agents' loads and the queue are read at one
-- instant; assign re-checks anyway.
-- Reply: {{id, presence, max_concurrent, load, last_activity_ms, ...}, {queue ids}}
local agents = {}
for _, id in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local key = ARGV[1] .. 'agent:' .. id
  local a = redis.call('HMGET', key, 'presence', 'max_concurrent', 'last_activity_ms')
  agents[#agents + 1] = id
  agents[#agents + 1] = a[1] or 'offline'
  agents[#agents + 1] = a[2] or '0'
  agents[#agents + 1] = tostring(redis.call('SCARD', key .. ':open'))
  agents[#agents + 1] = a[3] or '0'
end
return {agents, redis.call('ZRANGE', KEYS[2], 0, -1)}
