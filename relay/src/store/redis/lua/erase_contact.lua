-- KEYS: contact:{id} (routes the script on a cluster; keys come from the prefix)
-- ARGV: prefix, contact id, site, erased text, by, at_ms
-- Erases a contact as `store::erasure` describes, in one script: nobody
-- reads half an erasure. Replies {'ok', survivor id, audit entry JSON}.
local p, site, marker = ARGV[1], ARGV[3], ARGV[4]
local id = survivor(p, ARGV[2])
if not id or redis.call('HGET', contact_key(p, id), 'site') ~= site then
  return {'not_found'}
end
local sp = p .. 'site:' .. site
local counts = {records = 0, timeline_items = 0, visitors_unlinked = 0,
  conversations = 0, messages_redacted = 0}
-- Forwarding records of contacts merged into this one.
local records = redis.call('SMEMBERS', contact_key(p, id, ':merged'))
for _, r in ipairs(records) do
  redis.call('DEL', contact_key(p, r), contact_key(p, r, ':merged'))
end
counts.records = #records + 1
local ck = contact_key(p, id)
index_name(sp .. ':names', ck, id, '')
for _, field in ipairs(redis.call('HKEYS', ck .. ':identities')) do
  local key = sp .. ':identity:' .. field
  if redis.call('GET', key) == id then
    redis.call('DEL', key)
  end
end
for _, item in ipairs(redis.call('ZRANGE', ck .. ':timeline', 0, -1)) do
  local ik = p .. 'item:' .. item
  local f = redis.call('HMGET', ik, 'external_id', 'case_code')
  for i, index in ipairs({':external:', ':case:'}) do
    if f[i] and redis.call('GET', sp .. index .. f[i]) == item then
      redis.call('DEL', sp .. index .. f[i])
    end
  end
  redis.call('DEL', ik)
  counts.timeline_items = counts.timeline_items + 1
end
for _, pid in ipairs(redis.call('SMEMBERS', ck .. ':proposals')) do
  local pk = p .. 'merge-proposal:' .. pid
  local pair = redis.call('HMGET', pk, 'from', 'into')
  if pair[1] and pair[2] then
    redis.call('DEL', pair_key(p, pair[1], pair[2]))
    redis.call('SREM', contact_key(p, pair[1], ':proposals'), pid)
    redis.call('SREM', contact_key(p, pair[2], ':proposals'), pid)
  end
  redis.call('DEL', pk)
end
for _, v in ipairs(redis.call('SMEMBERS', ck .. ':visitors')) do
  local vk = p .. 'visitor:' .. v
  redis.call('DEL', vk .. ':contact')
  redis.call('HDEL', vk, 'proven')
  counts.visitors_unlinked = counts.visitors_unlinked + 1
  for _, c in ipairs(redis.call('LRANGE', vk .. ':conversations', 0, -1)) do
    local mk = p .. 'conversation:' .. c .. ':messages'
    local n = redis.call('LLEN', mk)
    for i = 0, n - 1 do
      local m = cjson.decode(redis.call('LINDEX', mk, i))
      m.text = marker
      if m.author and m.author.role == 'visitor' then
        m.author.name = nil
      end
      redis.call('LSET', mk, i, cjson.encode(m))
    end
    -- A rating keeps its number (reports count it), not the comment.
    local ck2 = p .. 'conversation:' .. c
    local rated = redis.call('HGET', ck2, 'csat')
    if rated then
      local r = cjson.decode(rated)
      if r.comment then
        r.comment = nil
        redis.call('HSET', ck2, 'csat', cjson.encode(r))
      end
    end
    counts.conversations = counts.conversations + 1
    counts.messages_redacted = counts.messages_redacted + n
  end
  -- Anonymous again: a candidate for retention (one with conversations
  -- becomes one when retention deletes its last).
  if redis.call('LLEN', vk .. ':conversations') == 0 then
    local created = redis.call('HGET', vk, 'created_at_ms')
    if created then
      redis.call('ZADD', p .. 'visitors-by-time', created, v)
    end
  end
end
redis.call('DEL', ck, ck .. ':identities', ck .. ':attrs', ck .. ':timeline',
  ck .. ':visitors', ck .. ':proposals', ck .. ':merged')
redis.call('SREM', sp .. ':contacts', id)
local entry = cjson.encode({at_ms = tonumber(ARGV[6]), by = ARGV[5],
  action = 'contact_erased', subject = id, counts = counts})
redis.call('LPUSH', sp .. ':audit', entry)
return {'ok', id, entry}
