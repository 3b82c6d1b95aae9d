-- KEYS: contact:{id}, site:{s}:names
-- ARGV: id, the name's words (space-separated)
-- Indexes a contact stored before the name index existed (see
-- `RedisStore::index_old_names`); a merged-away record is left out.
if redis.call('HEXISTS', KEYS[1], 'merged_into') == 1 then
  return {'ok'}
end
index_name(KEYS[2], KEYS[1], ARGV[1], ARGV[2])
return {'ok'}
