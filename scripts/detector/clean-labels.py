#!/usr/bin/python3
"""Cleans the teacher's boxes into training labels (python3-opencv, numpy).

The camera is static, so the background plate (median of the training frames) separates moving
people from the scene:
  0. teacher boxes: teacher.csv (HOG on the whole frame) and, when present, teacher-far.csv (a second
     pass on the top of the frame at a larger upscale, for the small far people);
  1. foreground mask per frame: |frame - plate| > 18 after a light blur, opened and closed;
  2. every HOG box is shrunk to the person inside HOG's 64x128 window (HOG boxes carry a margin),
     then tightened to the foreground pixels in it; boxes with too little foreground are dropped
     (HOG firing on clutter: the tripod, the lamp post, the sign);
  3. the camera is static, so a person's height and width grow linearly with the row of their feet:
     both lines are fitted to the boxes that tightened to one person, and HOG windows far off that
     size (windows around a group, the lamp post) are dropped;
  4. temporal consistency: a box survives only if a box overlaps it in a neighbouring frame (±2),
     and a box seen in both frame t-1 and t+1 but missing at t is filled in;
  5. people the teacher misses (small far people, members of a group): every foreground blob is
     split into people — across, by its head-and-torso width over a person's width at its foot row,
     and in depth, by peeling a person's height off the bottom; a part left as one person but with the
     foreground area of 1.7 people (two walking close together, overlapping) is split into two side by
     side; each kept box accounts for at most one part (a teacher box standing between such a pair
     becomes the half it matched), and the parts left over that persist in a neighbouring frame are added;
  6. near-duplicates out (same person: centres within half a person's width and feet within a
     quarter of a height); overlapping group members all stay.
Only training frames (vtest 0..635) are written; tree.avi frames are negatives (no boxes).
Writes data/detector/labels.csv (clip,frame,x,y,w,h in 320x240 pixels).
"""
import argparse, csv, os
import cv2
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
D = os.path.join(ROOT, 'data', 'detector')
HOLDOUT_START = 636
# blob splitting: people side by side when the torso is wider than ACROSS person widths per person;
# more than one person in depth when a band is taller than DEPTH person heights (set by --across, --depth)
ACROSS, DEPTH = 1.3, 1.3
# a one-person part with the foreground area of AREA people is split into two side by side (0: off; --area)
AREA = 1.7


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


def nms(boxes, thr=0.5):
    """Drops near-duplicates only: people in a group overlap, and each of them counts."""
    boxes = sorted(boxes, key=lambda b: -b[4])
    keep = []
    for b in boxes:
        if all(iou(b, k) < thr and cover(b, k) < 0.85 and cover(k, b) < 0.85 for k in keep):
            keep.append(b)
    return keep


def same_person(a, b, wfit, hfit):
    """Two boxes stand for one person when their centres are within half a person's width across and
    their feet within a quarter of a person's height (people in a group stand beside or behind each other)."""
    ya, yb = a[1] + a[3], b[1] + b[3]
    y = max(ya, yb)
    return abs(a[0] + a[2] / 2 - b[0] - b[2] / 2) < 0.5 * wfit(y) and abs(ya - yb) < 0.25 * hfit(y)


def dedupe(boxes, wfit, hfit):
    """Near-duplicates out, best score first (blob parts score 0); overlapping group members stay."""
    keep = []
    for b in sorted(boxes, key=lambda b: -b[4]):
        if all(not same_person(b, k, wfit, hfit) and iou(b, k) < 0.5 for k in keep):
            keep.append(b)
    return keep


def fit_geometry(singles):
    """Least-squares lines h(foot_y) and w(foot_y) through boxes that look like one person, twice with
    outliers (more than 25% off) dropped. The camera is static, so size grows linearly with the foot row."""
    a = np.array(singles, dtype=np.float64)
    fits = []
    for col in (1, 2):
        keep = np.ones(len(a), bool)
        for _ in range(3):
            k, c = np.polyfit(a[keep, 0], a[keep, col], 1)
            keep = np.abs(a[:, col] - (k * a[:, 0] + c)) <= 0.25 * (k * a[:, 0] + c)
        fits.append((k, c))
    return fits


def people_across(fg, x, y, w, h, we):
    """How many people stand side by side in a blob: its width at head and torso height (the top 55%;
    a walker's legs spread wider) over a person's width at that row."""
    torso = fg[y:y + max(1, int(0.55 * h)), x:x + w]
    cols = np.where(torso.sum(axis=0) >= 1)[0]
    tw = cols[-1] - cols[0] + 1 if len(cols) else w
    return int(tw / (ACROSS * we)) + 1


def split_blob(fg, x, y, w, h, hfit, wfit):
    """People in one foreground blob: bands as wide as a person at the blob's foot row, then, inside
    each band, people stacked in depth peeled from the bottom (a person at foot row yb is hfit(yb) tall)."""
    yb = y + h
    we = wfit(yb)
    k = people_across(fg, x, y, w, h, we)
    out = []
    for s in range(k):
        x0, x1 = x + int(round(s * w / k)), x + int(round((s + 1) * w / k))
        band = fg[y:yb, x0:x1]
        rows = np.where(band.sum(axis=1) >= max(1, 0.15 * (x1 - x0)))[0]
        if len(rows) == 0:
            continue
        bottom = y + rows[-1] + 1
        top = y + rows[0]
        while bottom - top >= 0.5 * hfit(bottom):
            he = hfit(bottom)
            t = max(top, bottom - he)
            if bottom - top < DEPTH * he:  # one person (tall walkers and heads above the fit)
                t = top
            out.append([float(x0), float(t), float(x1 - x0), float(bottom - t), 0.0])
            bottom = int(t + 0.1 * he)  # the next person's feet hide behind this one's head
            if t == top:
                break
    # two people walking close together, overlapping: one part, but with the foreground area of two people
    # (a person fills about 0.6 of their box); split across, each half as tall as the part
    if AREA > 0 and k == 1 and len(out) == 1:
        he = hfit(yb)
        if fg[y:yb, x:x + w].sum() >= AREA * 0.6 * we * he:
            b = out[0]
            out = [[b[0], b[1], b[2] / 2, b[3], -1.0], [b[0] + b[2] / 2, b[1], b[2] / 2, b[3], -1.0]]  # -1: a pair's half
    return out


def main():
    global ACROSS, DEPTH, AREA
    ap = argparse.ArgumentParser()
    ap.add_argument('--across', type=float, default=ACROSS)
    ap.add_argument('--depth', type=float, default=DEPTH)
    ap.add_argument('--area', type=float, default=AREA)
    ap.add_argument('--out', default=os.path.join(D, 'labels.csv'))
    ap.add_argument('--no-far', action='store_true', help='ignore teacher-far.csv')
    opt = ap.parse_args()
    ACROSS, DEPTH, AREA = opt.across, opt.depth, opt.area
    teacher = {}
    # teacher-far.csv (optional): a second HOG pass at a larger upscale on the top of the frame, where
    # people are too small for the first pass; its boxes go through the same checks, duplicates of the
    # first pass's boxes are removed by the final dedupe
    for name in ('teacher.csv',) if opt.no_far else ('teacher.csv', 'teacher-far.csv'):
        if not os.path.exists(os.path.join(D, name)):
            continue
        with open(os.path.join(D, name)) as fh:
            for r in csv.DictReader(fh):
                # the far pass adds only windows smaller than the first pass's smallest (128 px at 1.6x of 768
                # is 33.3 px of 320): at the first pass's scales it repeats it, with more false windows
                if name == 'teacher-far.csv' and float(r['h']) >= 128 / 1.6 * 320 / 768:
                    continue
                if r['clip'] == 'vtest' and int(r['frame']) < HOLDOUT_START:
                    teacher.setdefault(int(r['frame']), []).append([float(r[k]) for k in ('x', 'y', 'w', 'h', 'score')])
    plate = cv2.GaussianBlur(cv2.imread(os.path.join(D, 'plate.pgm'), cv2.IMREAD_GRAYSCALE).astype(np.float32), (3, 3), 0)
    k3 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    k5 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 7))
    frames = list(range(HOLDOUT_START))
    masks, boxes, singles = {}, {}, []
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
                    singles.append((ty + th, th, tw))
            out.append([bx, by, bw, bh, s])
        boxes[f] = out
    (hk, hc), (wk, wc) = fit_geometry(singles)
    hfit = lambda yb: max(6.0, hk * yb + hc)
    wfit = lambda yb: max(3.0, wk * yb + wc)
    print('person size vs foot row (from %d single-person teacher boxes): h = %.3f y + %.1f, w = %.3f y + %.1f' % (len(singles), hk, hc, wk, wc))
    # HOG windows far off the person size at their foot row (a window around a group, the lamp post) go
    n0 = sum(len(v) for v in boxes.values())
    for f in frames:
        boxes[f] = [b for b in boxes[f] if 0.6 * hfit(b[1] + b[3]) <= b[3] <= 1.6 * hfit(b[1] + b[3])]
    print('boxes off the size-vs-row line dropped: %d' % (n0 - sum(len(v) for v in boxes.values())))
    blobs = {}
    for f in frames:
        n, lab, stats, _ = cv2.connectedComponentsWithStats(masks[f])
        bl = []
        for c in range(1, n):
            x, y, w, h, area = stats[c]
            he, we = hfit(y + h), wfit(y + h)
            if h < 0.5 * he or w < 0.4 * we or area < max(12, 0.3 * we * he) or h < 1.0 * w / people_across(masks[f], x, y, w, h, we):
                continue
            bl += split_blob(masks[f], x, y, w, h, hfit, wfit)
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
        # people the foreground shows that no teacher box stands for: each kept box accounts for at most
        # one blob part (the closest that it covers or whose centre is within 0.6 of a person's width
        # and that overlaps it in height); the parts left over are more people
        used = [False] * len(keep)
        for b in sorted(blobs[f], key=lambda b: b[0]):
            we = wfit(b[1] + b[3])
            cx = b[0] + b[2] / 2
            best, bd = -1, 1e9
            for i, k in enumerate(keep):
                if used[i] or min(b[1] + b[3], k[1] + k[3]) - max(b[1], k[1]) <= 0.4 * min(b[3], k[3]):
                    continue
                d = abs(cx - (k[0] + k[2] / 2))
                if (d < 0.6 * we or cover(b, k) > 0.5 or cover(k, b) > 0.5) and d < bd:
                    best, bd = i, d
            if best >= 0:
                used[best] = True
                if b[4] < 0:  # a teacher box on a pair stands between them: it becomes this half
                    keep[best] = list(b[:4]) + [keep[best][4]]
                continue
            if any(same_person(b, o, wfit, hfit) for g in (f - 1, f + 1) for o in blobs.get(g, [])):
                keep.append(b)
                used.append(True)
                blob_n += 1
        cleaned[f] = dedupe(keep, wfit, hfit)
    with open(opt.out, 'w', newline='') as fh:
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

    # the labels against the hand counts of validation frames (model-tools/detector/validation-counts.csv)
    vc = os.path.join(ROOT, 'model-tools', 'detector', 'validation-counts.csv')
    if os.path.exists(vc):
        with open(vc) as fh:
            hand = {int(r['frame']): int(r['count']) for r in csv.DictReader(fh)}
        err = [len(cleaned[f]) - c for f, c in hand.items()]
        print('labels vs %d hand-counted validation frames: count MAE %.3f, mean error %+.3f'
              % (len(err), np.mean(np.abs(err)), np.mean(err)))


if __name__ == '__main__':
    main()
