-- KEYS: site:{s}:report-fact:{key}, then site:{s}:report:{hour_ms} for
--       each cell, in the cells' order
-- ARGV: the fact key's time to live (ms), then (field, value) per cell
-- Counts a fact once: the key is claimed with SET NX, and only then does
-- each cell's value go into its hour's hash. Replies {'ok', '1'} when
-- counted, {'ok', '0'} (nothing changed) when the key was recorded before.
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return {'ok', '0'}
end
for i = 2, #KEYS do
  redis.call('HINCRBY', KEYS[i], ARGV[2 * i - 2], ARGV[2 * i - 1])
end
return {'ok', '1'}
