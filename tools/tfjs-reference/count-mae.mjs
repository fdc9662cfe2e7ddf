#!/usr/bin/env node
// People-count error of the TF.js teacher against the hand counts of vtest.avi frames.
//
//   node count-mae.mjs [--fit letterbox,centre,stretch] [--threshold 0.35] [--backend wasm|cpu]
//                      [--labels ../../model-tools/detector/holdout-labels.csv]
//                      [--video /usr/share/doc/opencv-doc/examples/data/vtest.avi]
//                      [--model ../../models/teacher/centernet] [--keep DIR] [--verbose]
//
// For each fit, ffmpeg decodes the labelled frames (0-based decode order, as scripts/detector/prepare-data.sh
// numbers them) to 512x512 RGB P6 PPMs:
//   letterbox  scale to fit keeping the aspect ratio (768x576 -> 512x384), black pad at the bottom/right
//   centre     the same, the image centred (black bands top and bottom)
//   stretch    768x576 -> 512x512, aspect ratio not kept
// (swscale bilinear), then golden.mjs runs the model and writes tower_0/detections; a frame's count is the
// number of its 100 detections with class 0 (person) and score >= threshold. Prints MAE, mean signed error
// and exact hits per fit, plus golden.mjs's median ms/frame. Work files go to a temp dir (or --keep DIR).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const FITS = {
  letterbox: 'scale=512:512:force_original_aspect_ratio=decrease:flags=bilinear,pad=512:512:0:0:black',
  centre: 'scale=512:512:force_original_aspect_ratio=decrease:flags=bilinear,pad=512:512:(ow-iw)/2:(oh-ih)/2:black',
  stretch: 'scale=512:512:flags=bilinear',
};

function args(argv) {
  const o = {
    fit: Object.keys(FITS), threshold: 0.35, backend: 'wasm', verbose: false, keep: null,
    labels: join(HERE, '../../model-tools/detector/holdout-labels.csv'),
    video: '/usr/share/doc/opencv-doc/examples/data/vtest.avi',
    model: join(HERE, '../../models/teacher/centernet'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--fit') o.fit = val().split(',');
    else if (a === '--threshold') o.threshold = Number(val());
    else if (a === '--backend') o.backend = val();
    else if (a === '--labels') o.labels = val();
    else if (a === '--video') o.video = val();
    else if (a === '--model') o.model = val();
    else if (a === '--keep') o.keep = val();
    else if (a === '--verbose') o.verbose = true;
    else throw new Error(`unknown argument ${a}`);
  }
  for (const f of o.fit) if (!FITS[f]) throw new Error(`unknown fit ${f} (${Object.keys(FITS).join(', ')})`);
  return o;
}

function readLabels(path) {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  if (lines[0].trim() !== 'frame,count') throw new Error(`${path}: expected a 'frame,count' header`);
  return lines.slice(1).map((l) => {
    const [frame, count] = l.split(',').map(Number);
    return { frame, count };
  });
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${(r.stderr || '').trim().split('\n').pop()}`);
  return r.stdout;
}

function decode(video, frames, filter, dir) {
  mkdirSync(dir, { recursive: true });
  const select = `select='${frames.map((f) => `eq(n\\,${f})`).join('+')}'`;
  run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-i', video, '-vf', `${select},${filter},format=rgb24`,
    '-fps_mode', 'passthrough', '-start_number', '0', join(dir, 'sel%04d.ppm')]);
  const got = readdirSync(dir).filter((f) => f.startsWith('sel')).sort();
  if (got.length !== frames.length) throw new Error(`ffmpeg decoded ${got.length} of ${frames.length} frames`);
  got.forEach((f, k) => renameSync(join(dir, f), join(dir, `${String(frames[k]).padStart(4, '0')}.ppm`)));
}

function personCount(file, threshold) {
  const b = readFileSync(file);
  let n = 0;
  for (let i = 0; i < b.length; i += 24) {
    if (b.readFloatLE(i + 16) >= threshold && b.readFloatLE(i + 20) === 0) n++;
  }
  return n;
}

function main() {
  const o = args(process.argv.slice(2));
  const labels = readLabels(o.labels);
  const frames = labels.map((l) => l.frame);
  const work = o.keep ?? mkdtempSync(join(tmpdir(), 'count-mae-'));
  try {
    console.log(`${labels.length} hand-counted frames of ${o.video}, person score >= ${o.threshold}, backend ${o.backend}`);
    for (const fit of o.fit) {
      const inDir = join(work, fit, 'in');
      const outDir = join(work, fit, 'out');
      rmSync(join(work, fit), { recursive: true, force: true });
      decode(o.video, frames, FITS[fit], inDir);
      const timing = run(process.execPath, [join(HERE, 'golden.mjs'), '--model', o.model, '--inputs', inDir,
        '--out', outDir, '--nodes', 'tower_0/detections', '--backend', o.backend]).trim();
      let abs = 0;
      let signed = 0;
      let exact = 0;
      for (const { frame, count } of labels) {
        const base = String(frame).padStart(4, '0');
        const n = personCount(join(outDir, base, 'tower_0__detections.f32'), o.threshold);
        abs += Math.abs(n - count);
        signed += n - count;
        if (n === count) exact++;
        if (o.verbose) console.log(`  ${fit} frame ${frame}: hand ${count}, teacher ${n}`);
      }
      const k = labels.length;
      console.log(`${fit.padEnd(9)} MAE ${(abs / k).toFixed(3)}  mean error ${(signed / k >= 0 ? '+' : '')}${(signed / k).toFixed(3)}`
        + `  exact ${exact}/${k}  | ${timing}`);
    }
  } finally {
    if (!o.keep) rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(`count-mae.mjs: ${e.message}`);
  process.exit(1);
}
