#!/usr/bin/python3
"""Cleans the teacher's boxes into training labels (python3-opencv, numpy).

The camera is static, so the background plate (median of the training frames) separates moving
people from the scene:
  1. foreground mask per frame: |frame - plate| > 18 after a light blur, opened and closed;
  2. every HOG box is shrunk to the person inside HOG's 64x128 window (HOG boxes carry a margin),
     then tightened to the foreground pixels in it; boxes with too little foreground are dropped
     (HOG firing on clutter: the tripod, the lamp post, the sign);
  3. temporal consistency: a box survives only if a box overlaps it in a neighbouring frame (±2),
     and a box seen in both frame t-1 and t+1 but missing at t is filled in;
  4. person-shaped foreground blobs that no box covers (HOG misses small and far people) are added
     when the blob persists in a neighbouring frame;
  5. non-maximum suppression.
Only training frames (vtest 0..635) are written; tree.avi frames are negatives (no boxes).
Writes data/detector/labels.csv (clip,frame,x,y,w,h in 320x240 pixels).
"""
import csv, os
import cv2
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
D = os.path.join(ROOT, 'data', 'detector')
HOLDOUT_START = 636


def iou(a, b):
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    u = a[2] * a[3] + b[2] * b[3] - inter
    return inter / u if u > 0 else 0.0


def cover(a, b):
    """Fraction of a's area inside b."""
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    return inter / max(1e-6, a[2] * a[3])


def nms(boxes, thr=0.4):
    boxes = sorted(boxes, key=lambda b: -b[4])
    keep = []
    for b in boxes:
        if all(iou(b, k) < thr and cover(b, k) < 0.7 and cover(k, b) < 0.7 for k in keep):
            keep.append(b)
    return keep


def main():
    teacher = {}
    with open(os.path.join(D, 'teacher.csv')) as fh:
        for r in csv.DictReader(fh):
            if r['clip'] == 'vtest':
                teacher.setdefault(int(r['frame']), []).append([float(r[k]) for k in ('x', 'y', 'w', 'h', 'score')])
    plate = cv2.GaussianBlur(cv2.imread(os.path.join(D, 'plate.pgm'), cv2.IMREAD_GRAYSCALE).astype(np.float32), (3, 3), 0)
    k3 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    k5 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 7))
    frames = list(range(HOLDOUT_START))
    masks, boxes, blobs = {}, {}, {}
    for f in frames:
        im = cv2.GaussianBlur(cv2.imread(os.path.join(D, 'vtest', 'small', '%04d.pgm' % f), cv2.IMREAD_GRAYSCALE).astype(np.float32), (3, 3), 0)
        fg = (np.abs(im - plate) > 18).astype(np.uint8)
        fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, k3)
        fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, k5)
        masks[f] = fg
        out = []
        for x, y, w, h, s in teacher.get(f, []):
            # the person inside HOG's window: central half of the width, 3/4 of the height
            bx, by, bw, bh = x + 0.25 * w, y + 0.125 * h, 0.5 * w, 0.75 * h
            x0, y0 = int(max(0, x)), int(max(0, y))
            x1, y1 = int(min(320, x + w)), int(min(240, y + h))
            core = fg[int(max(0, by)):int(min(240, by + bh)), int(max(0, bx)):int(min(320, bx + bw))]
            if core.size == 0 or core.mean() < 0.15:
                continue
            win = fg[y0:y1, x0:x1]
            cols = np.where(win.sum(axis=0) >= max(2, 0.1 * win.shape[0]))[0]
            rows = np.where(win.sum(axis=1) >= 1)[0]
            if len(cols) >= 3 and len(rows) >= 8:
                tx, tw = x0 + cols[0], cols[-1] - cols[0] + 1
                ty, th = y0 + rows[0], rows[-1] - rows[0] + 1
                # trust the mask only when it looks like one person, not a merged group or a shadow
                if 0.5 * bw <= tw <= 1.5 * bw and 0.6 * bh <= th <= 1.3 * bh:
                    bx, by, bw, bh = tx, ty, tw, th
            out.append([bx, by, bw, bh, s])
        boxes[f] = out
        n, lab, stats, _ = cv2.connectedComponentsWithStats(fg)
        bl = []
        for c in range(1, n):
            x, y, w, h, area = stats[c]
            if 14 <= h <= 90 and 5 <= w <= 40 and 1.3 <= h / w <= 5 and area >= 0.35 * w * h and area >= 60:
                bl.append([float(x), float(y), float(w), float(h), 0.0])
        blobs[f] = bl
    cleaned = {}
    raw_n = kept_n = filled_n = blob_n = 0
    for f in frames:
        raw_n += len(teacher.get(f, []))
        keep = []
        for b in boxes[f]:
            if any(iou(b, o) >= 0.3 for g in (f - 2, f - 1, f + 1, f + 2) for o in boxes.get(g, [])):
                keep.append(b)
        kept_n += len(keep)
        for a in boxes.get(f - 1, []):
            for c in boxes.get(f + 1, []):
                if iou(a, c) >= 0.3:
                    m = [(a[i] + c[i]) / 2 for i in range(4)] + [min(a[4], c[4])]
                    if all(iou(m, k) < 0.3 for k in keep + boxes[f]):
                        keep.append(m)
                        filled_n += 1
        for b in blobs[f]:
            if any(cover(b, k) > 0.3 or cover(k, b) > 0.5 for k in keep):
                continue
            if any(iou(b, o) >= 0.3 for g in (f - 1, f + 1) for o in blobs.get(g, [])):
                keep.append(b)
                blob_n += 1
        cleaned[f] = nms(keep)
    with open(os.path.join(D, 'labels.csv'), 'w', newline='') as fh:
        w = csv.writer(fh)
        w.writerow(['clip', 'frame', 'x', 'y', 'w', 'h'])
        for f in frames:
            for b in cleaned[f]:
                w.writerow(['vtest', f] + ['%.1f' % v for v in b[:4]])
    tot = sum(len(v) for v in cleaned.values())
    print('teacher boxes %d on %d training frames (%.2f per frame); after the foreground check %d; temporally '
          'consistent %d; filled %d; foreground blobs added %d; labels %d (%.2f per frame)'
          % (raw_n, len(frames), raw_n / len(frames), sum(len(v) for v in boxes.values()), kept_n, filled_n, blob_n, tot, tot / len(frames)))
    ws = np.array([b[2] for v in cleaned.values() for b in v]); hs = np.array([b[3] for v in cleaned.values() for b in v])
    print('label box size (320x240 px): width median %.1f [%.1f..%.1f], height median %.1f [%.1f..%.1f]'
          % (np.median(ws), np.percentile(ws, 5), np.percentile(ws, 95), np.median(hs), np.percentile(hs, 5), np.percentile(hs, 95)))


if __name__ == '__main__':
    main()
