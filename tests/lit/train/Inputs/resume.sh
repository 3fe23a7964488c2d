#!/bin/sh
# resume.sh PROGRAM OPTIMIZER — 100 steps at once against 40 steps, a checkpoint, and a resumed run to 100:
# the final theta and the trajectories must be the same bytes.
set -e
p=$1
o=$2
$p train --x x.txt --y y.txt --optimizer $o --steps 100 --out full-$o.npy --record 10 --trajectory full-$o.csv --no-exact > /dev/null
$p train --x x.txt --y y.txt --optimizer $o --steps 40 --checkpoint $o.ckpt --record 10 --trajectory part-$o.csv --no-exact > /dev/null
$p train --x x.txt --y y.txt --optimizer $o --steps 100 --checkpoint $o.ckpt --resume --out resumed-$o.npy --record 10 --trajectory resumed-$o.csv --no-exact > /dev/null
cmp full-$o.npy resumed-$o.npy
cmp full-$o.csv resumed-$o.csv
echo "$o resumed exactly"
