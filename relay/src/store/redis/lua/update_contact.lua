-- KEYS: contact:{id} (routes the script on a cluster; keys come from the prefix)
-- ARGV: prefix, contact id, set_name (1/0), name, its words
--       (space-separated), then (attr, value) pairs
-- An empty value removes the attribute. Lands on the surviving contact.
local id = survivor(ARGV[1], ARGV[2])
if not id then
  return {'not_found'}
end
local ckey = contact_key(ARGV[1], id)
if ARGV[3] == '1' then
  redis.call('HSET', ckey, 'name', ARGV[4])
  local site = redis.call('HGET', ckey, 'site')
  index_name(names_key(ARGV[1], site), ckey, id, ARGV[5])
end
local attrs = contact_key(ARGV[1], id, ':attrs')
for i = 6, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', attrs, ARGV[i])
  else
    redis.call('HSET', attrs, ARGV[i], ARGV[i + 1])
  end
end
return {'ok', id}
