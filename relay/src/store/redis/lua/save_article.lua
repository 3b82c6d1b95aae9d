-- KEYS: site:{s}:kb:article:{id}, site:{s}:kb:articles, site:{s}:kb:slugs,
--       site:{s}:kb:group:{group}, site:{s}:kb:article:{id}:revisions
-- ARGV: article id, article JSON, revision JSON, the revision it replaces
--       ('' for a new article), slug field (`lang slug`), lang, the group
--       key without its id (the old group's key is built from it)
-- Checks the revision replaced, the slug and the translation, then writes
-- the article, moves its index entries and keeps the revision: a refused
-- save changes nothing (see store::knowledge).
local id = ARGV[1]
local stored = redis.call('GET', KEYS[1])
local old = nil
if stored then
  old = cjson.decode(stored)
end
local have = old and old.revision or nil
local replaces = nil
if ARGV[4] ~= '' then
  replaces = tonumber(ARGV[4])
end
if have ~= replaces then
  return {'stale_revision'}
end
local holder = redis.call('HGET', KEYS[3], ARGV[5])
if holder and holder ~= id then
  return {'slug_taken'}
end
holder = redis.call('HGET', KEYS[4], ARGV[6])
if holder and holder ~= id then
  return {'translation_exists'}
end
if old then
  unindex_article(old, id, KEYS[3], ARGV[7])
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], id)
redis.call('HSET', KEYS[3], ARGV[5], id)
redis.call('HSET', KEYS[4], ARGV[6], id)
redis.call('LPUSH', KEYS[5], ARGV[3])
return {'ok'}
