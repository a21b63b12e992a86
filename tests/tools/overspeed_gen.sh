# overspeed_gen.sh: crafted driver streams with known overspeeding cars, for
# the overspeed and redis-audit integration tests and the benchmark (sourced).
#
# ovs_stream DAY HHMMSS SECONDS SPEC...: one record per car every 2 s from
# DAY HHMMSS for SECONDS seconds (crossing midnight is fine). Each SPEC is
# CAR:SPEED_EVEN_WINDOW:SPEED_ODD_WINDOW:AREA, windows counted by 30 s from
# midnight, so a car can be fast in one window and slow in the next.
ovs_stream() {
	local day=$1 hms=$2 secs=$3; shift 3
	awk -v day="$day" -v hms="$hms" -v secs="$secs" -v specs="$*" '
	function dim(y, m) { if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
	                     return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31 }
	BEGIN {
		n = split(specs, sp, " ")
		y = substr(day, 1, 4) + 0; mo = substr(day, 5, 2) + 0; d = substr(day, 7, 2) + 0
		t0 = substr(hms, 1, 2) * 3600 + substr(hms, 3, 2) * 60 + substr(hms, 5, 2)
		for (s = 0; s < secs; s += 2) {
			t = t0 + s; yy = y; mm = mo; dd = d
			while (t >= 86400) { t -= 86400; dd++; if (dd > dim(yy, mm)) { dd = 1; mm++; if (mm > 12) { mm = 1; yy++ } } }
			w = int(t / 30)
			ts = sprintf("%04d%02d%02d%02d%02d%02d", yy, mm, dd, int(t / 3600), int(t / 60) % 60, t % 60)
			for (i = 1; i <= n; i++) {
				split(sp[i], f, ":")
				printf "%s,%s,1,0,F,N,%d,%s\n", ts, f[1], (w % 2 == 0) ? f[2] : f[3], f[4]
			}
		}
	}'
}
