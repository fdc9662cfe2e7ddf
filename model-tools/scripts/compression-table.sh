#!/usr/bin/env bash
# The compression steps of model-tools/models/README.md on the Letter-26 ProtoNN, each measured by
# the runtime on the 4,000 test rows (bytes, parameters, MACs, peak RAM, accuracy), plus the
# distillation comparison. Needs the float model train-letter.sh writes ($WORK/letter26-float.wnm).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-model-tools/target/letter26}
JAR=${JAR:-model-tools/target/winnow.jar}
winnow() { java -jar "$JAR" "$@"; }
F="$WORK/letter26-float.wnm"
[ -f "$F" ] || { echo "run model-tools/scripts/train-letter.sh first ($F missing)"; exit 1; }
steps() { grep -v -E '^  (fine-tune|qat) epoch' ; }
echo "== prune Z 50% (+5 epochs), int8 (QAT if it loses > 1 point), Huffman"
winnow compress "$F" --data letter --prune 0.5 --prune-tensors Z --fine-tune-epochs 5 --int8 --huffman --seed 1 -o "$WORK/p50-int8.wnm" | steps
echo "== int8 forced quantization-aware fine-tuning"
winnow compress "$F" --data letter --int8 --qat ALWAYS --qat-epochs 5 --huffman --seed 1 -o "$WORK/int8-qat.wnm" | steps
echo "== 4-bit integers (stored as int8) with QAT, Huffman"
winnow compress "$F" --data letter --int8 --bits 4 --qat-epochs 5 --huffman --seed 1 -o "$WORK/int4.wnm" | steps
echo "== binarized W (+5 epochs), then int8 for B and Z, Huffman"
winnow compress "$F" --data letter --binarize W --fine-tune-epochs 5 --int8 --huffman --seed 1 -o "$WORK/binW.wnm" | steps
echo "== k-means weight sharing, 4 bits, Huffman"
winnow compress "$F" --data letter --share-bits 4 --huffman --seed 1 -o "$WORK/cb4.wnm" | steps
echo "== budget: at most 10,000 B"
winnow compress "$F" --data letter --budget 10000 --budget-prune 0,0.5 --budget-bits 8,5,4 --fine-tune-epochs 3 --seed 1 -o "$WORK/budget10k.wnm" | steps
echo "== budget: at most 200 B of peak RAM"
winnow compress "$F" --data letter --max-ram 200 --budget-prune 0 --budget-bits 8,4 --seed 1 -o "$WORK/ram200.wnm" | steps
echo "== distillation: ProtoNN student, d̂ 12, 52 prototypes, 40 epochs, with and without the float teacher"
winnow train protonn --data letter --seed 1 --epochs 40 --projection 12 --prototypes 52 --name letter26-small --out "$WORK/student.wnm" | tail -3
winnow train protonn --data letter --seed 1 --epochs 40 --projection 12 --prototypes 52 --name letter26-small --teacher "$F" --temperature 1 --alpha 0.9 --out "$WORK/student-kd.wnm" | grep -E 'teacher|trained|same'
echo "== distillation: Bonsai student, d̂ 12, depth 2, 30 epochs"
winnow train bonsai --data letter --seed 1 --epochs 30 --projection 12 --depth 2 --name letter26-bonsai-small --out "$WORK/bstudent.wnm" | tail -3
winnow train bonsai --data letter --seed 1 --epochs 30 --projection 12 --depth 2 --name letter26-bonsai-small --teacher "$F" --temperature 1 --alpha 0.7 --out "$WORK/bstudent-kd.wnm" | grep -E 'teacher|trained|same'
