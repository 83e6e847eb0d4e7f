-- wrk script: posts pre-signed events (written by BenchEvents.java: body, timestamp,
-- signature per line), one per request, and counts how each was answered.
-- usage: wrk ... -s wrk-events.lua <url> -- <events file>
local bodies, stamps, signatures = {}, {}, {}
local count, next_index = 0, 0
accepted, duplicate, other = 0, 0, 0

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local body, ts, sig = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
    count = count + 1
    bodies[count], stamps[count], signatures[count] = body, ts, sig
  end
end

function request()
  next_index = next_index + 1
  if next_index > count then
    next_index = 1 -- wrapped: from here on the answers are duplicates, and counted as such
  end
  local body = bodies[next_index]
  return wrk.format("POST", "/webhook", {
    ["Content-Type"] = "application/json",
    ["webhook-timestamp"] = stamps[next_index],
    ["webhook-signature"] = signatures[next_index],
  }, body)
end

function response(status, headers, body)
  if status == 200 and body == '{"received":true}' then
    accepted = accepted + 1
  elseif status == 200 then
    duplicate = duplicate + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, d, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    d = d + thread:get("duplicate")
    o = o + thread:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("WRK accepted=%d duplicate=%d other=%d errors=%d seconds=%.2f durable_per_second=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    a, d, o, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    seconds, a / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
