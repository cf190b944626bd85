-- A mix of what Cloud Run sends a prediction service, for wrk: one-row predictions (70%),
-- 100-row batches (15%), Open Inference Protocol infers (5%) and malformed requests (10%).
-- Counts answers by status class across all threads; the SOAK line at the end carries them.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local batch = {}
for i = 1, 100 do batch[i] = "[5.9,3.0,4.2,1.5]" end
local json = { ["Content-Type"] = "application/json" }
local requests = {}

function init(args)
  s2xx, s4xx, s5xx, sother = 0, 0, 0, 0
  local one = wrk.format("POST", "/predict", json, '{"features":[5.1,3.5,1.4,0.2]}')
  local many = wrk.format("POST", "/predict", json, '{"instances":[' .. table.concat(batch, ",") .. ']}')
  local infer = wrk.format("POST", "/v2/models/iris-sgd/infer", json,
    '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}')
  local bad = {
    wrk.format("POST", "/predict", json, '{"features":[5.1,3.5,"1.4",null]}'),
    wrk.format("POST", "/predict", json, '{"features":[1,2]}'),
    wrk.format("POST", "/predict", json, '{"instances":'),
    wrk.format("POST", "/predict", { ["Content-Type"] = "text/plain" }, "5.1,3.5,1.4,0.2"),
  }
  for i = 1, 70 do requests[#requests + 1] = one end
  for i = 1, 15 do requests[#requests + 1] = many end
  for i = 1, 5 do requests[#requests + 1] = infer end
  for i = 1, 10 do requests[#requests + 1] = bad[(i % #bad) + 1] end
end

function request()
  return requests[math.random(#requests)]
end

function response(status, headers, body)
  if status >= 500 then s5xx = s5xx + 1
  elseif status >= 400 then s4xx = s4xx + 1
  elseif status >= 200 and status < 300 then s2xx = s2xx + 1
  else sother = sother + 1 end
end

function done(summary, latency, requests)
  local t2, t4, t5, to = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    t2 = t2 + thread:get("s2xx"); t4 = t4 + thread:get("s4xx")
    t5 = t5 + thread:get("s5xx"); to = to + thread:get("sother")
  end
  local e = summary.errors
  io.write(string.format(
    "SOAK requests=%d rps=%.0f s2xx=%d s4xx=%d s5xx=%d other=%d socket_errors=%d p50_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), t2, t4, t5, to,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
