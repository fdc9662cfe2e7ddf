#!/usr/bin/python3
"""The teacher: OpenCV's pretrained HOG people detector (python3-opencv), run on every decoded frame.

HOG's window is 64x128 pixels, so frames are upscaled (default 1.6x of 768x576) to reach the small,
far people; overlapping windows are merged by non-maximum suppression. Boxes are written in the
student's 320x240 coordinates to data/detector/teacher.csv (clip,frame,x,y,w,h,score), and the
teacher's time per frame (one thread) to data/detector/teacher-timing.txt.
With --top R, only the top fraction R of the frame is searched (e.g. --top 0.45 --upscale 2.6 for a
second pass that reaches the small far people by the road; clean-labels.py adds teacher-far.csv).
Usage: label-teacher.py [--upscale 1.6] [--top 1.0] [--workers 2] [--clips vtest,tree] [--range a-b] [--out csv]
"""
import argparse, csv, glob, os, sys, time
from multiprocessing import Pool
import cv2
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
DATA = os.path.join(ROOT, 'data', 'detector')
FULL_W = 768.0  # the teacher sees vtest at its native 768x576; tree (320x240) is resized to it first


def nms(boxes, scores, thr=0.45):
    order = np.argsort(-scores)
    keep = []
    for i in order:
        ok = True
        for j in keep:
            if iou(boxes[i], boxes[j]) >= thr:
                ok = False
                break
        if ok:
            keep.append(i)
    return keep


def iou(a, b):
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    u = a[2] * a[3] + b[2] * b[3] - inter
    return inter / u if u > 0 else 0.0


_hog = None


def detect(args):
    path, upscale, hit, top = args
    global _hog
    if _hog is None:
        cv2.setNumThreads(1)
        _hog = cv2.HOGDescriptor()
        _hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    full_w = img.shape[1]
    if top < 1.0:
        img = img[:int(round(top * img.shape[0]))]
    t0 = time.perf_counter()
    f = FULL_W / full_w * upscale
    im = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_LINEAR)
    rects, weights = _hog.detectMultiScale(im, hitThreshold=hit, winStride=(8, 8), padding=(16, 16), scale=1.05)
    boxes = np.array(rects, dtype=np.float64).reshape(-1, 4)
    scores = np.array(weights, dtype=np.float64).ravel()
    keep = nms(boxes, scores) if len(boxes) else []
    dt = time.perf_counter() - t0
    to320 = 320.0 / (full_w * f)
    out = [(boxes[i] * to320, scores[i]) for i in keep]
    return path, out, dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--upscale', type=float, default=1.6)
    ap.add_argument('--top', type=float, default=1.0, help='search only this top fraction of the frame')
    ap.add_argument('--hit', type=float, default=0.0, help='HOG SVM hit threshold')
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--clips', default='vtest,tree')
    ap.add_argument('--out', default=os.path.join(DATA, 'teacher.csv'))
    ap.add_argument('--range', default=None, help='first-last frame to process (for timing runs)')
    a = ap.parse_args()
    jobs = []
    for clip in a.clips.split(','):
        d = os.path.join(DATA, clip, 'full' if clip == 'vtest' else 'small')
        files = sorted(glob.glob(os.path.join(d, '*.pgm')))
        if not files:
            sys.exit('no frames in %s: run scripts/detector/prepare-data.sh' % d)
        if a.range:
            lo, hi = map(int, a.range.split('-'))
            files = [p for p in files if lo <= int(os.path.basename(p)[:-4]) <= hi]
        jobs += [(clip, p) for p in files]
    t0 = time.time()
    rows, times = [], []
    with Pool(a.workers) as pool:
        for k, (path, out, dt) in enumerate(pool.imap(detect, [(p, a.upscale, a.hit, a.top) for _, p in jobs], chunksize=4)):
            clip = jobs[k][0]
            frame = int(os.path.basename(path)[:-4])
            times.append(dt)
            for b, s in out:
                rows.append((clip, frame, '%.1f' % b[0], '%.1f' % b[1], '%.1f' % b[2], '%.1f' % b[3], '%.3f' % s))
            if k % 50 == 0:
                el = time.time() - t0
                print('teacher %d/%d frames, %.1f s, ETA %.0f s' % (k + 1, len(jobs), el, el / (k + 1) * (len(jobs) - k - 1)), flush=True)
    with open(a.out, 'w', newline='') as fh:
        w = csv.writer(fh)
        w.writerow(['clip', 'frame', 'x', 'y', 'w', 'h', 'score'])
        w.writerows(rows)
    ms = 1000 * float(np.mean(times))
    with open(os.path.splitext(a.out)[0] + '-timing.txt', 'w') as fh:
        fh.write('upscale=%.2f ms_per_frame=%.1f fps=%.2f frames=%d\n' % (a.upscale, ms, 1000 / ms, len(times)))
    print('teacher: %d boxes on %d frames, %.1f ms per frame on one thread (%.2f frames/s), wrote %s'
          % (len(rows), len(jobs), ms, 1000 / ms, a.out))


if __name__ == '__main__':
    main()
