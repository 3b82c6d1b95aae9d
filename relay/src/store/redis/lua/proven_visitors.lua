-- KEYS: contact:{c}:visitors (of the surviving contact)
-- ARGV: prefix
-- The contact's visitors that a signed identity proved (`proven` on the
-- visitor's hash, set by link_visitor), in one round trip.
local proven = {}
for _, v in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('HGET', ARGV[1] .. 'visitor:' .. v, 'proven') == '1' then
    proven[#proven + 1] = v
  end
end
return proven
