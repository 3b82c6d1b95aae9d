-- KEYS: merge-proposal:{id}
-- ARGV: prefix, id, accept (1/0), from, into (as the caller read them),
--       merge item id, at_ms, then the merge item's (field, value) pairs
-- The whole merge is this one script: nobody ever reads half a merge.
-- 'stale' means the proposal was re-pointed since the caller read it.
local p, pid = ARGV[1], ARGV[2]
local prop = redis.call('HMGET', KEYS[1], 'from', 'into')
if not prop[1] then
  return {'not_found'}
end
local from, into = prop[1], prop[2]
if from ~= ARGV[4] or into ~= ARGV[5] then
  return {'stale'}
end
redis.call('DEL', KEYS[1], pair_key(p, from, into))
redis.call('SREM', contact_key(p, from, ':proposals'), pid)
redis.call('SREM', contact_key(p, into, ':proposals'), pid)
if ARGV[3] ~= '1' then
  return {'ok', into}
end

local fk, ik = contact_key(p, from), contact_key(p, into)
local site = redis.call('HGET', ik, 'site')
-- Identities: union, verified if either copy was; the index follows.
local ids = redis.call('HGETALL', fk .. ':identities')
for i = 1, #ids, 2 do
  if ids[i + 1] == '1' or redis.call('HEXISTS', ik .. ':identities', ids[i]) == 0 then
    redis.call('HSET', ik .. ':identities', ids[i], ids[i + 1])
  end
  redis.call('SET', p .. 'site:' .. site .. ':identity:' .. ids[i], into)
end
-- Attributes and name: the surviving record's values win.
local attrs = redis.call('HGETALL', fk .. ':attrs')
for i = 1, #attrs, 2 do
  redis.call('HSETNX', ik .. ':attrs', attrs[i], attrs[i + 1])
end
local name = redis.call('HGET', fk, 'name')
local kept = redis.call('HGET', ik, 'name')
local names = names_key(p, site)
local words = redis.call('HGET', fk, 'name_words')
index_name(names, fk, from, '')
if name and name ~= '' and (not kept or kept == '') then
  redis.call('HSET', ik, 'name', name)
  index_name(names, ik, into, words)
end
-- Timeline items (and so their cases and external ids) move over.
local items = redis.call('ZRANGE', fk .. ':timeline', 0, -1, 'WITHSCORES')
for i = 1, #items, 2 do
  redis.call('ZADD', ik .. ':timeline', items[i + 1], items[i])
  redis.call('HSET', p .. 'item:' .. items[i], 'contact', into)
end
local visitors = redis.call('SMEMBERS', fk .. ':visitors')
for _, v in ipairs(visitors) do
  redis.call('SADD', ik .. ':visitors', v)
  redis.call('SET', p .. 'visitor:' .. v .. ':contact', into)
end
-- Other open proposals of `from` now concern `into`; one that would pair
-- `into` with itself or repeat a pair is dropped.
for _, other in ipairs(redis.call('SMEMBERS', fk .. ':proposals')) do
  local ok = p .. 'merge-proposal:' .. other
  local pair = redis.call('HMGET', ok, 'from', 'into')
  redis.call('DEL', pair_key(p, pair[1], pair[2]))
  local a = pair[1] == from and into or pair[1]
  local b = pair[2] == from and into or pair[2]
  if a == b or redis.call('EXISTS', pair_key(p, a, b)) == 1 then
    redis.call('DEL', ok)
    redis.call('SREM', contact_key(p, a, ':proposals'), other)
    redis.call('SREM', contact_key(p, b, ':proposals'), other)
  else
    redis.call('HSET', ok, 'from', a, 'into', b)
    redis.call('SET', pair_key(p, a, b), other)
    redis.call('SADD', ik .. ':proposals', other)
  end
end
redis.call('DEL', fk .. ':identities', fk .. ':attrs', fk .. ':timeline',
  fk .. ':visitors', fk .. ':proposals')
-- The forwarding record keeps only where to go; `into` remembers every
-- record merged into it, so erasing it can remove them too.
redis.call('HSET', fk, 'merged_into', into)
redis.call('HDEL', fk, 'name')
redis.call('SADD', ik .. ':merged', from)
redis.call('SUNIONSTORE', ik .. ':merged', ik .. ':merged', fk .. ':merged')
redis.call('DEL', fk .. ':merged')
redis.call('SREM', p .. 'site:' .. site .. ':contacts', from)
-- The merge itself, on the survivor's timeline.
local item = p .. 'item:' .. ARGV[6]
redis.call('HSET', item, 'contact', into, 'site', site)
for i = 8, #ARGV, 2 do
  redis.call('HSET', item, ARGV[i], ARGV[i + 1])
end
redis.call('ZADD', ik .. ':timeline', ARGV[7], ARGV[6])
return {'ok', into}
