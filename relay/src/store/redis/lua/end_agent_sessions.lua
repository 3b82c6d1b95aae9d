-- KEYS: agent:{a}:sessions
-- ARGV: prefix, the token hash to keep ('' for none)
-- Ends every session of the agent but one; replies with how many ended.
local ended = 0
for _, hash in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if hash ~= ARGV[2] then
    ended = ended + redis.call('DEL', ARGV[1] .. 'session:' .. hash)
    redis.call('SREM', KEYS[1], hash)
  end
end
return {'ok', tostring(ended)}
