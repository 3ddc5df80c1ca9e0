-- A wrk script for bench/perf/run.sh: the request is built once; each thread stops after at most
-- `max` requests (the first script argument), on top of wrk's own time limit; at the end it prints
-- one JSON line with the requests, errors, requests per second and latency percentiles in ms.
local max, sent, request_text = 1000000, 0, nil

function init(args)
  max = tonumber(args[1]) or max
  request_text = wrk.format()
end

function request()
  sent = sent + 1
  if sent > max then
    wrk.thread:stop()
  end
  return request_text
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"socket_errors": %d, "non_2xx_3xx": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
