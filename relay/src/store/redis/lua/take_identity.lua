-- KEYS: site:{s}:identity:{kind}:{value}
-- ARGV: prefix, contact id, kind:value
-- A verified claim of an identity (a signed identity, or a site vouching
-- for it). A contact that holds it unverified (someone typed it) loses
-- it; one that holds it verified keeps it. Replies ok, the contact and
-- the one it was taken from ('' if none).
local id = survivor(ARGV[1], ARGV[2])
if not id then
  return {'not_found'}
end
local taken = ''
local holder = redis.call('GET', KEYS[1])
if holder then
  holder = survivor(ARGV[1], holder)
end
if holder and holder ~= id then
  local theirs = contact_key(ARGV[1], holder, ':identities')
  if redis.call('HGET', theirs, ARGV[3]) == '1' then
    return {'identity_taken'}
  end
  redis.call('HDEL', theirs, ARGV[3])
  taken = holder
end
redis.call('SET', KEYS[1], id)
redis.call('HSET', contact_key(ARGV[1], id, ':identities'), ARGV[3], '1')
return {'ok', id, taken}
