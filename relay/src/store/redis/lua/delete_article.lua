-- KEYS: site:{s}:kb:article:{id}, site:{s}:kb:articles, site:{s}:kb:slugs,
--       site:{s}:kb:article:{id}:revisions
-- ARGV: article id, the group key without its id
-- Deletes the article, its revisions and its index entries, freeing its
-- slug and its language in the group. Replies {'ok', '1'}, or {'ok', '0'}
-- when there was no article.
local stored = redis.call('GET', KEYS[1])
redis.call('DEL', KEYS[4])
if not stored then
  return {'ok', '0'}
end
unindex_article(cjson.decode(stored), ARGV[1], KEYS[3], ARGV[2])
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return {'ok', '1'}
