-- KEYS: visitor:{id}, visitor-token:{token_hash}, visitors-by-time
-- ARGV: id, site, token_hash, created_at_ms
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'visitor_exists'}
end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX') then
  return {'visitor_exists'}
end
redis.call('HSET', KEYS[1], 'site', ARGV[2], 'token_hash', ARGV[3], 'created_at_ms', ARGV[4])
-- Anonymous until linked: a candidate for retention (store::retention).
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return {'ok'}
