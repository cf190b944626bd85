# The canary's judgement of one step's window (cloudrun/canary.sh, judge): from Cloud Monitoring's
# answers for the candidate and the serving revision to one check per signal, each "pass",
# "fail" or "no_data", and the step's verdict. A breach with data fails the step even while
# another signal has no data yet; a window with too little data is never a pass.
#
# Arguments (jq --argjson): percent, from, to (the window, epoch seconds); cr/sr (request_count
# by response_code_class), cl/sl (request_latencies p99), cp/sp (predictions_total by label):
# timeSeries.list answers, candidate and serving; the thresholds max5xx, ratio, floor, maxpsi,
# minreq, minpred (cloudrun/gates.env).

def value: (.value.int64Value // .value.doubleValue // 0) | tonumber;
def by($ts; $field): reduce ($ts.timeSeries // [])[] as $s ({};
  .[$s.metric.labels[$field] // "unknown"] += ([$s.points[]? | value] | add // 0));
def total: [.[]] | add // 0;
def p99($ts): [($ts.timeSeries // [])[] | .points[]? | value] | max;
def share($counts; $k): (($counts[$k] // 0) / ($counts | total)) | if . < 0.0001 then 0.0001 else . end;
def psi($e; $a): [([$e, $a] | map(keys) | add | unique)[] as $k
  | (share($a; $k) - share($e; $k)) * ((share($a; $k) / share($e; $k)) | log)] | add;
def check($name; $status; $detail): {name: $name, status: $status, detail: $detail};
def r4: . * 10000 | round / 10000;
by($cr; "response_code_class") as $codes | ($codes | total) as $requests
| by($sr; "response_code_class") as $servcodes
| by($cp; "label") as $cand | by($sp; "label") as $serv
| p99($cl) as $clat | p99($sl) as $slat
| ([$ratio * ($slat // 0), $floor] | max) as $allowed
| [
    (if $requests < $minreq then
       check("5xx share"; "no_data"; "\($requests) candidate requests in the window; \($minreq) needed")
     else (($codes["5xx"] // 0) / $requests) as $s
       | check("5xx share"; (if $s <= $max5xx then "pass" else "fail" end);
           "\($codes["5xx"] // 0) of \($requests) candidate requests answered 5xx: \($s | r4); at most \($max5xx) (the serving revision: \($servcodes["5xx"] // 0) of \($servcodes | total))")
     end),
    (if $clat == null or $slat == null then
       check("p99 latency"; "no_data"; "no latency yet for \(if $clat == null then "the candidate" else "the serving revision" end)")
     else check("p99 latency"; (if $clat <= $allowed then "pass" else "fail" end);
           "candidate \($clat | r4) ms, serving \($slat | r4) ms; allowed \($allowed | r4) ms (x\($ratio), at least \($floor) ms)")
     end),
    (if ($cand | total) < $minpred or ($serv | total) < $minpred then
       check("predicted labels"; "no_data"; "\($cand | total) candidate and \($serv | total) serving predictions in the window; \($minpred) each needed")
     else psi($serv; $cand) as $psi
       | check("predicted labels"; (if $psi <= $maxpsi then "pass" else "fail" end);
           "PSI \($psi | r4) of the candidate's labels \($cand) against the serving revision's \($serv); at most \($maxpsi)")
     end)
  ] as $checks
| {percent: $percent, start: $from, end: $to, checks: $checks,
   verdict: (if any($checks[]; .status == "fail") then "fail"
             elif any($checks[]; .status == "no_data") then "no_data" else "pass" end)}
