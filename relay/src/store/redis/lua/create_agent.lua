-- KEYS: agent-email:{email}, agent:{id}, agents
-- ARGV: id, email, name, password_hash, admin, max_concurrent, created_at_ms,
--       languages (JSON list), skills (JSON list)
-- The email key is claimed with SET NX inside the script, so two nodes
-- creating the same email concurrently cannot both succeed.
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'agent_exists'}
end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  return {'email_taken'}
end
redis.call('HSET', KEYS[2],
  'email', ARGV[2], 'name', ARGV[3], 'password_hash', ARGV[4],
  'admin', ARGV[5], 'max_concurrent', ARGV[6], 'created_at_ms', ARGV[7],
  'presence', 'offline', 'last_activity_ms', '0', 'languages', ARGV[8], 'skills', ARGV[9])
redis.call('RPUSH', KEYS[3], ARGV[1])
return {'ok'}
