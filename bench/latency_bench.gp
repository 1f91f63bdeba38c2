# The plot of bench/latency_bench.sh: p50, p99 and p999 of direct-message
# latency against offered load, edgehubd and Mosquitto (medians of the runs).
# gnuplot -e "data='latency.dat'; out='latency.svg'; machine='...'" latency_bench.gp
set terminal svg size 860,520 dynamic font "sans,12"
set output out
set title "Direct messages: latency against offered load (".machine.")"
set xlabel "offered load (messages/s)"
set ylabel "latency from send to delivery (µs)"
set logscale y
set grid ytics mytics xtics
set key outside right top
set datafile missing "NaN"
plot data using 1:2 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "edgehubd p50", \
     data using 1:3 with linespoints lw 2 pt 5 lc rgb "#1f77b4" dt 2 title "edgehubd p99", \
     data using 1:4 with linespoints lw 2 pt 9 lc rgb "#1f77b4" dt 3 title "edgehubd p999", \
     data using 1:5 with linespoints lw 2 pt 7 lc rgb "#d62728" title "Mosquitto p50", \
     data using 1:6 with linespoints lw 2 pt 5 lc rgb "#d62728" dt 2 title "Mosquitto p99", \
     data using 1:7 with linespoints lw 2 pt 9 lc rgb "#d62728" dt 3 title "Mosquitto p999"
