#!/usr/bin/env node
// Golden outputs of a TF.js graph model (the CenterNet teacher) from the real TensorFlow.js, offline.
//
//   node golden.mjs --model <dir with model.json | model .json file> --inputs <dir> --out <dir>
//                   [--nodes a,b,...] [--backend wasm|cpu] [--repeat N]
//   node golden.mjs --model <...> --inputs <dir> --repeat N --no-write        (bench: prints median ms/frame)
//
// Inputs: every *.f32 in --inputs is one model input, raw little-endian float32, 512*512*3 values, HWC,
// RGB 0..255; every *.ppm (binary P6, 512x512, maxval 255) is read as bytes and converted to the same floats.
// Outputs: <out>/<input base name>/<node name, '/' -> '__', ':' -> '.'>.f32 (raw little-endian float32,
// the tensor's row-major order; integer tensors are converted to float32) and <out>/manifest.json.
// stdout gets one line, `median <ms> ms/frame (...)` (what the Java benchmark parses); per-input lines go
// to stderr. Timing: 2 warm-up runs, then --repeat timed runs per input; a run is model.execute of the requested nodes
// plus reading every output back (dataSync). Medians are reported per input and over all runs.
// The model is read from disk (tf.io.fromMemory); nothing goes to the network. In node the wasm backend
// runs single-threaded (tfjs-backend-wasm disables threads under node), with SIMD when node supports it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const HERE = dirname(fileURLToPath(import.meta.url));
const SIZE = 512;
const VALUES = SIZE * SIZE * 3;
const DETECTIONS = 'tower_0/detections';
// Real node names from centernet.json: the first conv block after its hard_swish, the backbone's end
// (MobilenetV3's last node; extern1 then feeds the CenterNet head), the sigmoid heatmap, the box sizes and
// the decoded detections.
const DEFAULT_NODES = [
  'tower_0/MobilenetV3/Conv/hard_swish/mul_1',
  'tower_0/MobilenetV3/expanded_conv_14/add',
  'tower_0/keypoints',
  'tower_0/wh',
  DETECTIONS,
];
const WARMUP = 2;

function usage(msg) {
  if (msg) console.error(`golden.mjs: ${msg}`);
  console.error('usage: node golden.mjs --model <dir|model.json> --inputs <dir> (--out <dir> | --no-write)'
    + ' [--nodes a,b,...] [--backend wasm|cpu] [--repeat N]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { backend: 'wasm', repeat: 1, write: true, nodes: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--model') o.model = val();
    else if (a === '--inputs') o.inputs = val();
    else if (a === '--out') o.out = val();
    else if (a === '--nodes') o.nodes = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--backend') o.backend = val();
    else if (a === '--repeat') o.repeat = Number(val());
    else if (a === '--no-write') o.write = false;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!o.model || !o.inputs) usage('--model and --inputs are required');
  if (o.write && !o.out) usage('--out is required unless --no-write');
  if (!['wasm', 'cpu'].includes(o.backend)) usage(`unknown backend ${o.backend}`);
  if (!Number.isInteger(o.repeat) || o.repeat < 1) usage('--repeat must be a positive integer');
  // bench mode times what a deployment computes (the detections); golden mode writes the default taps
  if (!o.nodes) o.nodes = o.write ? DEFAULT_NODES : [DETECTIONS];
  return o;
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function modelJsonPath(p) {
  if (statSync(p).isFile()) return p;
  if (existsSync(join(p, 'model.json'))) return join(p, 'model.json');
  const jsons = readdirSync(p).filter((f) => f.endsWith('.json'));
  if (jsons.length !== 1) throw new Error(`${p}: no model.json and ${jsons.length} other .json files`);
  return join(p, jsons[0]);
}

// Reads model.json and its weight shards from disk into the artifacts tf.io.fromMemory takes.
function loadArtifacts(jsonPath) {
  const jsonBytes = readFileSync(jsonPath);
  const json = JSON.parse(jsonBytes.toString('utf8'));
  const dir = dirname(jsonPath);
  const weightSpecs = [];
  const shards = [];
  const files = { [basename(jsonPath)]: sha256(jsonBytes) };
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      const b = readFileSync(join(dir, p));
      files[p] = sha256(b);
      shards.push(b);
    }
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const artifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    modelInitializer: json.modelInitializer,
    weightSpecs,
    weightData,
  };
  const graphNodes = new Set(json.modelTopology.node.map((n) => n.name));
  return { artifacts, files, graphNodes };
}

function readPpm(buf, name) {
  // P6 <ws> width <ws> height <ws> maxval <one ws> data; '#' comments run to end of line
  let pos = 0;
  const tokens = [];
  while (tokens.length < 4) {
    while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]))) pos++;
    if (buf[pos] === 0x23) { while (pos < buf.length && buf[pos] !== 0x0a) pos++; continue; }
    const start = pos;
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    if (start === pos) throw new Error(`${name}: truncated PPM header`);
    tokens.push(buf.toString('latin1', start, pos));
  }
  pos++; // the single whitespace byte before the raster
  const [magic, w, h, max] = [tokens[0], Number(tokens[1]), Number(tokens[2]), Number(tokens[3])];
  if (magic !== 'P6' || w !== SIZE || h !== SIZE || max !== 255) {
    throw new Error(`${name}: need a binary P6 ${SIZE}x${SIZE} PPM with maxval 255, got ${magic} ${w}x${h} max ${max}`);
  }
  if (buf.length - pos < VALUES) throw new Error(`${name}: raster has ${buf.length - pos} bytes, need ${VALUES}`);
  const out = new Float32Array(VALUES);
  for (let i = 0; i < VALUES; i++) out[i] = buf[pos + i];
  return out;
}

function readInputs(dir) {
  const files = readdirSync(dir).filter((f) => /\.(f32|ppm)$/i.test(f)).sort();
  if (files.length === 0) throw new Error(`${dir}: no *.f32 or *.ppm inputs`);
  const seen = new Set();
  return files.map((f) => {
    const base = basename(f, extname(f));
    if (seen.has(base)) throw new Error(`${dir}: two inputs named ${base} (.f32 and .ppm)`);
    seen.add(base);
    const buf = readFileSync(join(dir, f));
    let data;
    if (/\.f32$/i.test(f)) {
      if (buf.length !== VALUES * 4) throw new Error(`${f}: ${buf.length} bytes, need ${VALUES * 4} (512x512x3 float32)`);
      data = new Float32Array(VALUES);
      for (let i = 0; i < VALUES; i++) data[i] = buf.readFloatLE(i * 4);
    } else {
      data = readPpm(buf, f);
    }
    return { file: f, base, sha256: sha256(buf), data };
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round3 = (x) => Math.round(x * 1000) / 1000;

async function setBackend(name) {
  if (name === 'wasm') {
    // a file-system path prefix: under node the emscripten loader reads the .wasm with fs
    setWasmPaths(join(HERE, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/');
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
  const info = { name: tf.getBackend() };
  if (name === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  }
  return info;
}

function fileName(node) {
  return node.replaceAll('/', '__').replaceAll(':', '.') + '.f32';
}

function run(model, input, nodes) {
  const x = tf.tensor4d(input, [1, SIZE, SIZE, 3], 'float32');
  try {
    const outs = model.execute(x, nodes);
    const list = Array.isArray(outs) ? outs : [outs];
    const res = list.map((t) => ({ shape: t.shape, dtype: t.dtype, data: t.dataSync() }));
    tf.dispose(list);
    return res;
  } finally {
    x.dispose();
  }
}

function personCount(det, threshold = 0.35) {
  let n = 0;
  for (let i = 0; i < det.length; i += 6) if (det[i + 4] >= threshold && det[i + 5] === 0) n++;
  return n;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const jsonPath = modelJsonPath(o.model);
  const { artifacts, files, graphNodes } = loadArtifacts(jsonPath);
  const unknown = o.nodes.filter((n) => !graphNodes.has(n.split(':')[0]));
  if (unknown.length) throw new Error(`not nodes of ${jsonPath}: ${unknown.join(', ')}`);
  const backend = await setBackend(o.backend);
  const model = await loadGraphModel(tf.io.fromMemory(artifacts));
  const inputs = readInputs(o.inputs);

  for (let i = 0; i < WARMUP; i++) run(model, inputs[0].data, o.nodes);

  const perInput = [];
  const allMs = [];
  for (const inp of inputs) {
    const ms = [];
    let res;
    for (let r = 0; r < o.repeat; r++) {
      const t0 = performance.now();
      res = run(model, inp.data, o.nodes);
      ms.push(performance.now() - t0);
    }
    allMs.push(...ms);
    const entry = { file: inp.file, sha256: inp.sha256, medianMs: round3(median(ms)) };
    const det = res[o.nodes.indexOf(DETECTIONS)];
    if (det) entry.persons035 = personCount(det.data);
    if (o.write) {
      const dir = join(o.out, inp.base);
      mkdirSync(dir, { recursive: true });
      entry.outputs = {};
      o.nodes.forEach((node, k) => {
        const f32 = res[k].data instanceof Float32Array ? res[k].data : Float32Array.from(res[k].data);
        writeFileSync(join(dir, fileName(node)), Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength));
        entry.outputs[node] = { file: `${inp.base}/${fileName(node)}`, shape: res[k].shape, dtype: res[k].dtype };
      });
    }
    perInput.push(entry);
    console.error(`${inp.base}: ${entry.medianMs} ms` + (det ? `, ${entry.persons035} person(s) with score >= 0.35` : ''));
  }
  const overall = round3(median(allMs));
  console.log(`median ${overall} ms/frame (${o.backend}${backend.simd ? ' simd' : ''}, ${inputs.length} input(s) x ${o.repeat} run(s), after ${WARMUP} warm-up runs)`);

  if (o.write) {
    const first = perInput[0].outputs;
    const manifest = {
      tfjs: tf.version_core,
      converter: JSON.parse(readFileSync(join(HERE, 'node_modules/@tensorflow/tfjs-converter/package.json'), 'utf8')).version,
      node: process.version,
      backend,
      model: { path: jsonPath, sha256: files },
      input: { shape: [1, SIZE, SIZE, 3], layout: 'NHWC RGB 0..255 float32 LE' },
      output: { format: 'raw float32 little-endian, row-major', fileName: "node name with '/' -> '__', ':' -> '.', plus .f32" },
      nodes: Object.fromEntries(o.nodes.map((n) => [n, { shape: first[n].shape, dtype: first[n].dtype }])),
      timing: { warmupRuns: WARMUP, repeat: o.repeat, medianMsPerFrame: overall, what: 'execute + dataSync of the listed nodes' },
      inputs: perInput,
    };
    // shapes on one line each
    const text = JSON.stringify(manifest, null, 2).replace(/\[\s*([-\d.,\s]+?)\s*\]/g, (_, xs) => `[${xs.split(/,\s*/).join(', ')}]`);
    writeFileSync(join(o.out, 'manifest.json'), text + '\n');
  }
}

main().catch((e) => {
  console.error(`golden.mjs: ${e.message}`);
  process.exit(1);
});
