# The plot of bench/features_plot.sh: per feature, edgehub's figure over its
# anchor's (the tool a user would pick instead), both from one run named in
# docs/BENCHMARKS.md; above 1, edgehub did better.
# gnuplot -e "data='features.dat'; out='features.svg'" features.gp
set datafile separator "\t"
stats data using 2 nooutput
rows = STATS_records
# A log scale, so that 2x ahead and 2x behind are the same length; room on
# the right for the labels of the longest bars.
lo = (STATS_min < 1 ? STATS_min : 1) / 1.6
hi = (STATS_max > 1 ? STATS_max : 1) * 60

set terminal svg size 1280, 110 + 34 * rows dynamic font "sans,12"
set termoption noenhanced  # labels hold underscores and backslashes
set output out
set title "edgehub / anchor per feature: medians (or the one run) from the runs named in docs/BENCHMARKS.md\n" . \
          "each bar compares two figures of one run; runs differ in date, machine and load"
set logscale x
set xrange [lo:hi]
set yrange [rows + 0.6:0.4]
set xlabel "edgehub / anchor (log scale; 1 = the same; a time is inverted: anchor's time / edgehub's)"
set xtics (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50)
set ytics nomirror scale 0 font ",11"
set grid xtics
set style fill solid 0.75 border -1
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 dt 2 lc rgb "#000000"
min(a, b) = a < b ? a : b
max(a, b) = a > b ? a : b
# Each bar runs from 1 to the ratio: right of 1 edgehub is ahead, left behind.
plot data using (1):1:(min(1, $2)):(max(1, $2)):($1 - 0.34):($1 + 0.34):3:ytic(4) \
       with boxxyerror lc rgb variable notitle, \
     data using (max(1, $2) * 1.08):1:5 with labels left font ",10" notitle
