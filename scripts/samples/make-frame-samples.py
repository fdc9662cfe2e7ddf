#!/usr/bin/python3
"""Builds job-examples' camera samples from the decoded opencv-doc clips (data/detector/, made by
scripts/detector/prepare-data.sh). Needs python3-opencv and python3-numpy (Debian).

  samples/frames/plaza/     an NVR camera: 30 empty frames, the 64 hand-counted held-out vtest frames
                            (model-tools/detector/holdout-labels.csv), 30 empty frames. "Empty" frames
                            are the background plate (temporal median of vtest) with simulated sensor
                            noise and slow gain drift, seed fixed: the scene with nobody in it.
  samples/frames/garden/    the first 30 frames of tree.avi: motion (leaves, light), no people.
  samples/frames/labels.csv camera,seq,count for every plaza and garden frame (0 = nobody).
  samples/frames/concourse/ three cameras for stadium-staffing: vtest frames 0-599 in three stretches,
                            every 5th frame, and zones.properties.
All frames 320x240 gray JPEG.
"""
import csv, glob, os, shutil
import cv2
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
DATA = os.path.join(ROOT, 'data', 'detector')
OUT = os.path.join(ROOT, 'job-examples', 'samples', 'frames')
QUALITY = 50

def fresh(d):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)

def write(d, seq, img):
    cv2.imwrite(os.path.join(d, '%04d.jpg' % seq), img, [cv2.IMWRITE_JPEG_QUALITY, QUALITY])

vtest = sorted(glob.glob(os.path.join(DATA, 'vtest', 'small', '*.pgm')))
tree = sorted(glob.glob(os.path.join(DATA, 'tree', 'small', '*.pgm')))
plate = cv2.imread(os.path.join(DATA, 'plate.pgm'), cv2.IMREAD_GRAYSCALE)
assert len(vtest) == 795 and len(tree) >= 30 and plate is not None, 'run scripts/detector/prepare-data.sh first'
with open(os.path.join(ROOT, 'model-tools', 'detector', 'holdout-labels.csv')) as f:
    held = [(int(r['frame']), int(r['count'])) for r in csv.DictReader(f)]

rng = np.random.default_rng(11)
def empty(k, n):
    gain = 1.0 + 0.04 * np.sin(2 * np.pi * k / n)
    img = plate.astype(np.float32) * gain + rng.normal(0, 1.5, plate.shape)
    return np.clip(img, 0, 255).astype(np.uint8)

labels = []
plaza = os.path.join(OUT, 'plaza')
fresh(plaza)
seq = 0
for k in range(30):
    write(plaza, seq, empty(k, 30)); labels.append(('plaza', seq, 0)); seq += 1
for frame, count in held:
    write(plaza, seq, cv2.imread(vtest[frame], cv2.IMREAD_GRAYSCALE)); labels.append(('plaza', seq, count)); seq += 1
for k in range(30):
    write(plaza, seq, empty(k + 30, 30)); labels.append(('plaza', seq, 0)); seq += 1

garden = os.path.join(OUT, 'garden')
fresh(garden)
for k in range(30):
    write(garden, k, cv2.imread(tree[k], cv2.IMREAD_GRAYSCALE)); labels.append(('garden', k, 0))

with open(os.path.join(OUT, 'labels.csv'), 'w') as f:
    f.write('# camera,seq,count: people counted by a person (plaza frames 30-93: model-tools/detector/holdout-labels.csv)\n')
    for cam, s, c in labels:
        f.write('%s,%d,%d\n' % (cam, s, c))

concourse = os.path.join(OUT, 'concourse')
for name, start in (('north-1', 0), ('north-2', 200), ('south-1', 400)):
    d = os.path.join(concourse, name)
    fresh(d)
    for k, frame in enumerate(range(start, start + 200, 5)):
        write(d, k, cv2.imread(vtest[frame], cv2.IMREAD_GRAYSCALE))
with open(os.path.join(concourse, 'zones.properties'), 'w') as f:
    f.write('''# stadium-staffing sample: three concourse cameras in two zones
window = PT5S
overcrowded-after = PT2S
camera.north-1 = concourse-north
camera.north-2 = concourse-north
camera.south-1 = concourse-south
zone.concourse-north.capacity = 10
zone.concourse-north.people-per-staff = 4
zone.concourse-south.capacity = 5
zone.concourse-south.people-per-staff = 3
''')
total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(OUT, '**', '*'), recursive=True) if os.path.isfile(p))
print('samples in %s: %d files, %.2f MB' % (OUT, len(glob.glob(os.path.join(OUT, '**', '*.jpg'), recursive=True)), total / 1e6))
