# Gives each JDK Flight Recorder execution sample (the output of jfr print --events
# jdk.ExecutionSample) to the first part, in the order given, that has a frame in the sample's
# stack, so that the shares add up to the whole. Prints "COUNT<TAB>LABEL" for each part, then
# "COUNT<TAB>other" and "COUNT<TAB>total".
# usage: awk -f bench/jfr-shares.awk PARTS SAMPLES, where PARTS has lines "LABEL<TAB>REGEX".
FNR == NR { split($0, f, "\t"); parts++; name[parts] = f[1]; pattern[parts] = f[2]; next }
function flush(   i) {
  if (!n) return
  n = 0
  total++
  for (i = 1; i <= parts; i++) if (stack ~ pattern[i]) { hits[i]++; return }
  other++
}
/^jdk\.ExecutionSample/ { flush(); n = 1; stack = ""; next }
/line:|\(/ { stack = stack " " $1 }
END {
  flush()
  for (i = 1; i <= parts; i++) printf "%d\t%s\n", hits[i], name[i]
  printf "%d\tother\n%d\ttotal\n", other, total
}
