-- KEYS: conversation:{c} for each conversation
-- ARGV: at_ms
-- Notes the visitor's socket on each conversation that exists (never
-- creates a stray hash for an id that does not).
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    redis.call('HSET', key, 'visitor_seen_ms', ARGV[1])
  end
end
return {'ok'}
