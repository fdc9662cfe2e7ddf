#!/usr/bin/python3
"""Background plate and empty-scene negatives (python3-opencv, numpy).

The plate is the per-pixel temporal median of the training frames of vtest (0..635; the held-out
stretch 636..794 is not read). Writes data/detector/plate.pgm (320x240), plate-full.pgm (768x576),
plate.png to look at, and data/detector/neg/{small,full}/NNNN.pgm: the plate under photometric
changes (gain, offset, blur, sensor noise; fixed seed), empty-scene negatives for evaluation.
"""
import glob, os
import cv2
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
D = os.path.join(ROOT, 'data', 'detector')
HOLDOUT_START = 636

for size in ('small', 'full'):
    files = sorted(glob.glob(os.path.join(D, 'vtest', size, '*.pgm')))[:HOLDOUT_START]
    stack = np.stack([cv2.imread(f, cv2.IMREAD_GRAYSCALE) for f in files[::2]])
    plate = np.median(stack, axis=0).astype(np.uint8)
    cv2.imwrite(os.path.join(D, 'plate.pgm' if size == 'small' else 'plate-full.pgm'), plate)
    if size == 'small':
        cv2.imwrite(os.path.join(D, 'plate.png'), plate)
    rng = np.random.default_rng(7)
    out = os.path.join(D, 'neg', size)
    os.makedirs(out, exist_ok=True)
    variants = [(1.0, 0, 0, 0), (0.8, 0, 0, 2), (1.2, -10, 0, 2), (0.9, 15, 1, 3), (1.1, -20, 0, 4),
                (0.7, 20, 1, 2), (1.0, 0, 2, 5), (1.3, -30, 0, 3)]
    for k, (gain, off, blur, noise) in enumerate(variants):
        im = plate.astype(np.float32) * gain + off
        if blur:
            im = cv2.GaussianBlur(im, (0, 0), blur)
        im = im + rng.normal(0, noise, im.shape)
        cv2.imwrite(os.path.join(out, '%04d.pgm' % k), np.clip(im, 0, 255).astype(np.uint8))
print('plate from frames 0..%d; %d negatives in %s' % (HOLDOUT_START - 1, 8, os.path.join(D, 'neg')))
