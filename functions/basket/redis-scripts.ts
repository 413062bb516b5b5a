/**
 * Each change runs as one Lua script on the user's key (a JSON array of lines in first-added
 * order), so concurrent changes never lose an update. Every write renews the TTL.
 * KEYS[1] the basket; KEYS[2], for a change with an Idempotency-Key, the key's record: the
 * request, a newline, and the lines the change left, written in this same script, so either both
 * the change and its record are written or neither. A recorded key answers its lines and changes
 * nothing, or {"reused": true} for another request.
 * ARGV: product id, quantity (0 = the whole line), TTL in ms, sign (+1 add, -1 remove); for a
 * bounded add the stock ('' for none), most units of a line and most lines: an add past them
 * changes nothing, records nothing (a retry is decided again) and returns
 * {"refused": "stock" | "line" | "lines", "in_basket": units held}; then the request and the
 * record's TTL in ms.
 */
export const CHANGE = `
if KEYS[2] then
  local record = redis.call('GET', KEYS[2])
  if record then
    local nl = string.find(record, '\\n', 1, true)
    if string.sub(record, 1, nl - 1) ~= ARGV[8] then return '{"reused":true}' end
    return string.sub(record, nl + 1)
  end
end
local raw = redis.call('GET', KEYS[1])
local lines = raw and cjson.decode(raw) or {}
local pid, qty, ttl, sign = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if sign > 0 and ARGV[5] ~= '' then
  local held = 0
  for _, line in ipairs(lines) do
    if line.product_id == pid then held = line.quantity end
  end
  local refused
  if held + qty > tonumber(ARGV[5]) then refused = 'stock'
  elseif held + qty > tonumber(ARGV[6]) then refused = 'line'
  elseif held == 0 and #lines >= tonumber(ARGV[7]) then refused = 'lines' end
  if refused then return cjson.encode({ refused = refused, in_basket = held }) end
end
local out, found = {}, false
for _, line in ipairs(lines) do
  if line.product_id == pid then
    found = true
    local left = (sign > 0) and (line.quantity + qty) or ((qty == 0) and 0 or (line.quantity - qty))
    if left > 0 then out[#out + 1] = { product_id = pid, quantity = left } end
  else
    out[#out + 1] = line
  end
end
if not found and sign > 0 then out[#out + 1] = { product_id = pid, quantity = qty } end
local encoded = '[]'
if #out == 0 then
  redis.call('DEL', KEYS[1])
else
  encoded = cjson.encode(out)
  redis.call('SET', KEYS[1], encoded, 'PX', ttl)
end
if KEYS[2] then redis.call('SET', KEYS[2], ARGV[8] .. '\\n' .. encoded, 'PX', ARGV[9]) end
return encoded
`;

/**
 * Takes paid lines out of a basket once per event: KEYS[1] the basket, KEYS[2] the event's
 * marker (set first, NX: a second delivery finds it and changes nothing). ARGV: the paid lines
 * as JSON, the basket TTL and the marker TTL in ms. Returns 1 when applied, 0 for a repeat.
 */
export const CHECKOUT = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then return 0 end
local raw = redis.call('GET', KEYS[1])
if not raw then return 1 end
local paid = {}
for _, l in ipairs(cjson.decode(ARGV[1])) do paid[l.product_id] = (paid[l.product_id] or 0) + l.quantity end
local out = {}
for _, line in ipairs(cjson.decode(raw)) do
  local left = line.quantity - (paid[line.product_id] or 0)
  if left > 0 then out[#out + 1] = { product_id = line.product_id, quantity = left } end
end
if #out == 0 then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], cjson.encode(out), 'PX', ARGV[2]) end
return 1
`;
