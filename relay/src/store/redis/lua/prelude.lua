-- Prepended to every script. Replies are flat arrays of strings so the Rust
-- side decodes them one way: a status word, then the payload.

-- {status, id, field, value, ...} for the hash at `key`.
local function with_hash(status, id, key)
  local out = {status, id}
  local fields = redis.call('HGETALL', key)
  for i = 1, #fields do
    out[#out + 1] = fields[i]
  end
  return out
end

-- Whether the agent hash at `key` (open set at `open`) may take one more
-- conversation: online and under its max_concurrent.
local function can_take(key, open)
  local a = redis.call('HMGET', key, 'presence', 'max_concurrent')
  if a[1] ~= 'online' then
    return false
  end
  return redis.call('SCARD', open) < (tonumber(a[2]) or 0)
end

-- A conversation's `route` (JSON of shared::routing::Route) as a table,
-- or nil if it is not a JSON object. Absent or empty is the default route.
local function read_route(conv)
  local raw = redis.call('HGET', conv, 'route')
  if not raw or raw == '' then
    return {}
  end
  local ok, route = pcall(cjson.decode, raw)
  if not ok or type(route) ~= 'table' then
    return nil
  end
  return route
end

-- The route as JSON again. Numbers are written with %d, not by
-- cjson.encode, which keeps only 14 significant digits and would turn a
-- large u64 into a float serde refuses; a Route's numbers are integers
-- (exact in Lua up to 2^53). Keys are sorted so equal routes read equal.
local function encode_route(route)
  local keys = {}
  for k in pairs(route) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = route[k]
    local json
    if type(v) == 'number' and v == math.floor(v) then
      json = string.format('%d', v)
    else
      json = cjson.encode(v)
    end
    parts[#parts + 1] = cjson.encode(k) .. ':' .. json
  end
  return '{' .. table.concat(parts, ',') .. '}'
end

-- Hands conversation `id` (hash at `conv`) to the agent at `agent` (open
-- set `open`, id `agent_id`): first assignment and transfer alike. The
-- answer deadline restarts at `at_ms`; `matched` (how routing found the
-- agent, nil by hand or by transfer) replaces the route's. The route is
-- edited here, inside the script, so a route another node changed in the
-- meantime is never overwritten with a stale copy.
local function hand_to(conv, id, agent, open, agent_id, at_ms, matched)
  local route = read_route(conv)
  if not route then
    return {'corrupt_route'}
  end
  route.matched = matched
  local name = redis.call('HGET', agent, 'name') or ''
  redis.call('HSET', conv, 'status', 'assigned', 'agent', agent_id, 'agent_name', name,
    'assigned_at_ms', at_ms, 'route', encode_route(route))
  redis.call('HINCRBY', conv, 'version', 1)
  redis.call('SADD', open, id)
  redis.call('HSET', agent, 'last_activity_ms', at_ms)
  return with_hash('ok', id, conv)
end

-- The customer record's keys, spelled as in keys.rs, for scripts that
-- reach a contact by following a merge.
local function contact_key(prefix, id, part)
  return prefix .. 'contact:' .. id .. (part or '')
end

-- Follows `merged_into` from contact `id` to the record that survived;
-- nil if there is no such contact (or the chain is broken).
local function survivor(prefix, id)
  for _ = 1, 32 do
    local c = redis.call('HMGET', contact_key(prefix, id), 'site', 'merged_into')
    if not c[1] then
      return nil
    end
    if not c[2] or c[2] == '' then
      return id
    end
    id = c[2]
  end
  return nil
end

-- The key that makes a pair of contacts proposable once, either way round.
local function pair_key(prefix, a, b)
  if a > b then
    a, b = b, a
  end
  return prefix .. 'merge-pair:' .. a .. ':' .. b
end

-- The site's name index: members `word:contact_id`, score 0, so
-- ZRANGEBYLEX finds names by a word's prefix (see contact_reads.rs).
local function names_key(prefix, site)
  return prefix .. 'site:' .. site .. ':names'
end

-- Replaces the indexed words of the contact hash at `ckey` (id `id`) with
-- `words` (space-separated, lower-cased by the relay; '' removes them).
-- The hash keeps its words in `name_words` so the next change can take
-- exactly those out again.
local function index_name(names, ckey, id, words)
  local old = redis.call('HGET', ckey, 'name_words')
  if old then
    for w in string.gmatch(old, '%S+') do
      redis.call('ZREM', names, w .. ':' .. id)
    end
  end
  if not words or words == '' then
    redis.call('HDEL', ckey, 'name_words')
    return
  end
  redis.call('HSET', ckey, 'name_words', words)
  for w in string.gmatch(words, '%S+') do
    redis.call('ZADD', names, 0, w .. ':' .. id)
  end
end

-- Walks the sorted set `index` from its oldest entry scored before
-- `before`: each entry leaves the index and `take(id)` deletes its record
-- if it still qualifies, saying whether it did. Stops after `max`
-- deletions or 4 * max entries looked at, so one call stays short
-- whatever the index holds. Returns the deletions.
local function sweep_index(index, before, max, take)
  local deleted, looked = 0, 0
  while deleted < max and looked < 4 * max do
    local ids = redis.call('ZRANGEBYSCORE', index, '-inf', '(' .. before,
      'LIMIT', 0, max - deleted)
    if #ids == 0 then
      break
    end
    for _, id in ipairs(ids) do
      looked = looked + 1
      redis.call('ZREM', index, id)
      if take(id) then
        deleted = deleted + 1
      end
    end
  end
  return deleted
end

-- Takes the article `old` (its stored JSON, decoded; id `id`) out of the
-- site's slug index `slugs` (fields `lang slug`, spelled as in
-- knowledge_codec.rs) and out of its translation group (the key
-- `group_base` .. group, fields lang), wherever it still holds the entry.
local function unindex_article(old, id, slugs, group_base)
  local field = old.lang .. ' ' .. old.slug
  if redis.call('HGET', slugs, field) == id then
    redis.call('HDEL', slugs, field)
  end
  local group = group_base .. old.group
  if redis.call('HGET', group, old.lang) == id then
    redis.call('HDEL', group, old.lang)
  end
end

-- Grows report rows (see reports.rs): for i >= first_key, KEYS[i] is a
-- row string whose add is ARGV[at .. at + 3] (index member, score, slot,
-- increment) with at = first_arg + 4 * (i - first_key). Each counter is a
-- saturating u32; the row is listed in the site's index `index`.
local function grow_report_rows(index, first_key, first_arg)
  for i = first_key, #KEYS do
    local at = first_arg + 4 * (i - first_key)
    redis.call('BITFIELD', KEYS[i], 'OVERFLOW', 'SAT', 'INCRBY', 'u32', '#' .. ARGV[at + 2],
      ARGV[at + 3])
    redis.call('ZADD', index, ARGV[at + 1], ARGV[at])
  end
end
