# Goals of issue #17 on the 20-minute recording: kept bytes vs oracle and source, person-event recall, clips play.
import csv, subprocess, sys
out = sys.argv[1]; START = 1_700_000_000_000; ROLL = 2.0
pk = subprocess.run(["ffprobe","-v","error","-select_streams","v:0","-show_entries","packet=pts_time,size,flags","-of","csv=p=0","camera720.mp4"],capture_output=True,text=True).stdout.split()
pk = sorted((float(a), int(b), c.startswith("K")) for a,b,c in (l.split(",")[:3] for l in pk))
src = sum(s for _,s,_ in pk)
keys = [t for t,_,k in pk if k]
people = [tuple(map(float, l.split(","))) for l in open("people.csv")]
def cut(a, b):
    s = max([k for k in keys if k <= a + 1e-6] or [0]); e = min([k for k in keys if k >= b - 1e-6] or [pk[-1][0] + 1])
    return s, e
spans = [cut(a - ROLL, b + ROLL) for a, b in people]
oracle = sum(s for t,s,_ in pk if any(a - 1e-6 <= t < b - 1e-6 for a,b in spans))
rows = list(csv.DictReader(open(out + "/index.csv")))
kept = sum(int(r["bytes"]) for r in rows)
clips = [((int(r["start_millis"]) - START)/1000, (int(r["end_millis"]) - START)/1000) for r in rows]
# person-time recall: share of people seconds (0.1 s steps) inside a kept clip
steps = [a + i*0.1 for a,b in people for i in range(int((b-a)*10))]
covered = sum(1 for t in steps if any(s <= t < e for s,e in clips))
bad = []
for r in rows:
    f = out + "/" + r["clip"]
    p = subprocess.run(["ffprobe","-v","error","-show_entries","format=duration","-of","csv=p=0",f],capture_output=True,text=True)
    d = subprocess.run(["ffmpeg","-nostdin","-v","error","-i",f,"-f","null","-"],capture_output=True,text=True)
    if p.returncode or d.returncode or d.stderr.strip(): bad.append(r["clip"])
print(f"source {src} B encoded ({src/1e6:.1f} MB, 1200 s); oracle {oracle} B ({oracle/1e6:.1f} MB, {sum(e-s for s,e in spans):.0f} s)")
print(f"kept {kept} B in {len(rows)} clips: {kept/oracle:.3f}x the oracle, {100*kept/src:.1f} % of the source")
events = sum(1 for a,b in people if any(s <= a + 1e-6 and b <= e + 1e-6 for s,e in clips))
print(f"person-event recall {events}/{len(people)} = {100*events/len(people):.1f} % (an event: one vtest piece, people in every frame, inside one kept clip)")
print(f"person-time recall {covered}/{len(steps)} = {100*covered/len(steps):.2f} % of people time (0.1 s steps) inside a kept clip")
print(f"clips failing ffprobe or full decode: {bad if bad else 'none'} of {len(rows)}")
