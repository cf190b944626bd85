-- One kind of request for wrk, chosen by environment variables, and a one-line summary at the end:
--   WRK_METHOD (GET or POST), WRK_BODY_FILE (the JSON body for POST), WRK_ROWS (rows per request).
-- The summary line starts with RESULT and holds requests/s, rows/s and latency percentiles in µs.
local method = os.getenv("WRK_METHOD") or "GET"
local body_file = os.getenv("WRK_BODY_FILE")
local rows = tonumber(os.getenv("WRK_ROWS") or "1")

wrk.method = method
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.0f rows_per_s=%.0f p50_us=%d p90_us=%d p99_us=%d p999_us=%d " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.requests / seconds, summary.requests * rows / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    e.status, e.connect, e.read, e.write, e.timeout))
end
