-- KEYS: site:{s}:report-fact:{key}, site:{s}:report-rows, then
--       site:{s}:report-row:{bucket_ms}:{row} for each add, in order
-- ARGV: the fact key's time to live (ms), then per add its index member
--       ({bucket_ms}:{row}), score (bucket_ms), slot and increment
-- Counts a fact once: the key is claimed with SET NX, and only then does
-- each add grow its row's u32 counter (saturating, never wrapping) and
-- list the row in the site's index. Replies {'ok', '1'} when counted,
-- {'ok', '0'} (nothing changed) when the key was recorded before.
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return {'ok', '0'}
end
grow_report_rows(KEYS[2], 3, 2)
return {'ok', '1'}
