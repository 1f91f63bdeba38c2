# The plot of bench/memory_bench.sh: the RSS that idle connections add to
# the server, and per connection, edgehubd against Mosquitto (medians).
# gnuplot -e "data='memory.dat'; out='memory.svg'; machine='...'" memory_bench.gp
set terminal svg size 1000,460 dynamic font "sans,12"
set output out
set datafile missing "NaN"
set multiplot layout 1,2 title "Idle connections: server memory (".machine.")"
set xlabel "idle logged-in connections"
set grid
set xtics 5000
set key left top
set ylabel "RSS added (MiB)"
plot data using 1:2 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "edgehubd", \
     data using 1:4 with linespoints lw 2 pt 5 lc rgb "#d62728" title "Mosquitto"
set ylabel "RSS per connection (bytes)"
set yrange [0:*]
set key right top
plot data using 1:3 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "edgehubd", \
     data using 1:5 with linespoints lw 2 pt 5 lc rgb "#d62728" title "Mosquitto", \
     700 with lines lw 1 dt 2 lc rgb "#2ca02c" title "goal (issue 18): 700 B"
unset multiplot
