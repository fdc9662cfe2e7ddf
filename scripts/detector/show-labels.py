#!/usr/bin/python3
"""Draws label boxes (a clip,frame,x,y,w,h CSV in 320x240 pixels) on frames, four to a PNG contact sheet,
at 2x, for checking labels by eye. Frames are read from data/detector/vtest/small.
Usage: show-labels.py --csv data/detector/labels.csv --frames 590-635:5 --out /tmp/sheet.png
"""
import argparse, csv, os
import cv2
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
D = os.path.join(ROOT, 'data', 'detector')

ap = argparse.ArgumentParser()
ap.add_argument('--csv', default=os.path.join(D, 'labels.csv'))
ap.add_argument('--frames', required=True, help='a-b[:step] or a comma list')
ap.add_argument('--out', required=True)
ap.add_argument('--cols', type=int, default=2)
a = ap.parse_args()
if '-' in a.frames:
    rng, _, step = a.frames.partition(':')
    lo, hi = map(int, rng.split('-'))
    frames = list(range(lo, hi + 1, int(step or 1)))
else:
    frames = [int(f) for f in a.frames.split(',')]
boxes = {}
with open(a.csv) as fh:
    for r in csv.DictReader(fh):
        if r['clip'] == 'vtest':
            boxes.setdefault(int(r['frame']), []).append([float(r[k]) for k in ('x', 'y', 'w', 'h')])
tiles = []
for f in frames:
    im = cv2.cvtColor(cv2.imread(os.path.join(D, 'vtest', 'small', '%04d.pgm' % f), cv2.IMREAD_GRAYSCALE), cv2.COLOR_GRAY2BGR)
    im = cv2.resize(im, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    for x, y, w, h in boxes.get(f, []):
        cv2.rectangle(im, (int(2 * x), int(2 * y)), (int(2 * (x + w)), int(2 * (y + h))), (0, 220, 0), 1)
    cv2.putText(im, '%d: %d' % (f, len(boxes.get(f, []))), (6, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 255), 2)
    tiles.append(im)
while len(tiles) % a.cols:
    tiles.append(np.zeros_like(tiles[0]))
rows = [np.hstack(tiles[i:i + a.cols]) for i in range(0, len(tiles), a.cols)]
cv2.imwrite(a.out, np.vstack(rows))
print('wrote', a.out)
