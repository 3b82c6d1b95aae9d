-- KEYS: closed, visitors-by-time
-- ARGV: prefix, SCAN cursor, MATCH pattern (the prefix's `visitor:*`,
--       glob-escaped), COUNT
-- Puts one page of the visitors stored before the retention indexes
-- existed, and their closed conversations, into those indexes; replies
-- {'ok', next cursor} ('0': done). Every conversation is on its
-- visitor's list, so walking visitors finds them all. Run inside Redis,
-- the SCAN reads the node holding the prefix's keys, on a cluster too.
local p = ARGV[1]
local vp = p .. 'visitor:'
local page = redis.call('SCAN', ARGV[2], 'MATCH', ARGV[3], 'COUNT', ARGV[4])
for _, key in ipairs(page[2]) do
  local id = string.sub(key, #vp + 1)
  -- `visitor:{id}:conversations` and the like match too; ids have no ':'.
  if not string.find(id, ':', 1, true) then
    local created = redis.call('HGET', key, 'created_at_ms')
    if created then
      local conversations = redis.call('LRANGE', key .. ':conversations', 0, -1)
      for _, c in ipairs(conversations) do
        local f = redis.call('HMGET', p .. 'conversation:' .. c, 'status', 'closed_at_ms')
        if f[1] == 'closed' and f[2] then
          redis.call('ZADD', KEYS[1], f[2], c)
        end
      end
      if #conversations == 0 and redis.call('EXISTS', key .. ':contact') == 0 then
        redis.call('ZADD', KEYS[2], created, id)
      end
    end
  end
end
return {'ok', page[1]}
